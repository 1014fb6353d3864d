package nl.kring.server.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * What the cluster secret (KRING_CLUSTER_SECRET) protects, docs/adr/0011-cluster-secret.md:
 * <ul>
 * <li>the event bus: mutual TLS with one P-256 key pair derived from the secret (HMAC-SHA256, then
 * a self-signed certificate with fixed fields and a deterministic RFC 6979 signature, so every node
 * derives the same bytes). Each node presents that certificate, trusts only it, and requires it
 * of every peer: a process without the secret can neither read the bus nor send on it;</li>
 * <li>Hazelcast's join: the cluster name is derived from the secret, so members of another
 * installation (or one with a wrong secret) never join. Hazelcast open source has no TLS or member
 * authentication, so the name travels in the clear: it keeps strangers out by mistake, not an
 * attacker on the network; the event bus does not rely on it.</li>
 * </ul>
 * Pure functions; thread-safe.
 */
public final class ClusterSecret {

    private static final String CURVE = "secp256r1";

    private ClusterSecret() {
    }

    /** The Hazelcast cluster name for this secret: {@code kring-} and 32 hex digits of its HMAC. */
    public static String clusterName(String secret) {
        return "kring-" + HexFormat.of().formatHex(hmac(secret, "kring hazelcast cluster name v1"), 0, 16);
    }

    /** Switches the event bus to mutual TLS with the key pair derived from {@code secret}. */
    public static EventBusOptions secure(EventBusOptions options, String secret) {
        try {
            // PEM values, not wrapped key managers: the clustered event bus copies its options through JSON
            Derived derived = derive(secret);
            Buffer key = pem("PRIVATE KEY", derived.privateKey.getEncoded());
            Buffer cert = pem("CERTIFICATE", derived.certificate.getEncoded());
            return options.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions().addKeyValue(key).addCertValue(cert))
                    .setTrustOptions(new PemTrustOptions().addCertValue(cert))
                    .setTrustAll(false) // the event bus's default is true: a node would then send to any listener
                    .setClientAuth(ClientAuth.REQUIRED);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot derive the event bus's TLS key", e);
        }
    }

    private static Buffer pem(String type, byte[] der) {
        return Buffer.buffer("-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n");
    }

    record Derived(PrivateKey privateKey, PublicKey publicKey, Certificate certificate) {
    }

    static Derived derive(String secret) throws GeneralSecurityException, java.io.IOException {
        X9ECParameters curve = ECNamedCurveTable.getByName(CURVE);
        BigInteger n = curve.getN();
        // d in [1, n-1]: a 256-bit HMAC reduced mod n-1 (the bias, under 2^-128, does not matter)
        BigInteger d = new BigInteger(1, hmac(secret, "kring event bus key v1")).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(d).normalize();
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(CURVE));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        KeyFactory kf = KeyFactory.getInstance("EC");
        PrivateKey privateKey = kf.generatePrivate(new ECPrivateKeySpec(d, spec));
        PublicKey publicKey = kf.generatePublic(new ECPublicKeySpec(
                new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec));

        AlgorithmIdentifier ecdsaSha256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
        X500Name name = new X500Name("CN=kring-cluster");
        V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
        tbs.setSerialNumber(new ASN1Integer(1));
        tbs.setSignature(ecdsaSha256);
        tbs.setIssuer(name);
        tbs.setSubject(name);
        tbs.setStartDate(new Time(new Date(1_577_836_800_000L))); // 2020-01-01: fixed, so every node derives the same
        tbs.setEndDate(new Time(new Date(4_102_444_800_000L)));   // 2100-01-01: the secret, not a date, is what expires
        tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()));
        TBSCertificate body = tbs.generateTBSCertificate();
        byte[] toSign = body.getEncoded(ASN1Encoding.DER);

        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())); // RFC 6979: deterministic
        signer.init(true, new ECPrivateKeyParameters(d,
                new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH())));
        BigInteger[] rs = signer.generateSignature(MessageDigest.getInstance("SHA-256").digest(toSign));
        byte[] signature = new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])})
                .getEncoded(ASN1Encoding.DER);
        ASN1EncodableVector cert = new ASN1EncodableVector();
        cert.add(body);
        cert.add(ecdsaSha256);
        cert.add(new DERBitString(signature));
        Certificate certificate = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(new DERSequence(cert).getEncoded(ASN1Encoding.DER)));
        return new Derived(privateKey, publicKey, certificate);
    }

    private static byte[] hmac(String secret, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
