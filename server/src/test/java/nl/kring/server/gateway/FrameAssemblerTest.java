package nl.kring.server.gateway;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameAssemblerTest {

    final FrameAssembler assembler = new FrameAssembler(16);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSingleFrameMessageIsText() {
        assertThat(assembler.accept(true, true, true, utf8("{\"a\":1}"))).isEqualTo(new FrameAssembler.Text("{\"a\":1}"));
    }

    @Test
    void fragmentsAreJoinedAndCountedTogether() {
        assertThat(assembler.accept(true, true, false, utf8("héllo "))).isInstanceOf(FrameAssembler.Incomplete.class);
        assertThat(assembler.accept(false, true, true, utf8("wereld"))).isEqualTo(new FrameAssembler.Text("héllo wereld"));
        assertThat(assembler.accept(true, true, false, utf8("0123456789"))).isInstanceOf(FrameAssembler.Incomplete.class);
        assertThat(assembler.accept(false, true, true, utf8("0123456789"))).isInstanceOf(FrameAssembler.TooBig.class);
    }

    @Test
    void aMultiByteCharacterSplitAcrossFramesIsValid() {
        byte[] euro = utf8("€");
        assembler.accept(true, true, false, new byte[] {euro[0]});
        assertThat(assembler.accept(false, true, true, new byte[] {euro[1], euro[2]})).isEqualTo(new FrameAssembler.Text("€"));
    }

    @Test
    void invalidUtf8AndBinaryAreReported() {
        assertThat(assembler.accept(true, true, true, new byte[] {(byte) 0xC3, (byte) 0x28})).isInstanceOf(FrameAssembler.InvalidUtf8.class);
        assertThat(assembler.accept(true, false, true, new byte[] {1, 2})).isInstanceOf(FrameAssembler.Binary.class);
        assertThat(assembler.accept(true, true, true, new byte[17])).isInstanceOf(FrameAssembler.TooBig.class);
    }
}
