package nl.kring.server.gateway;

import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.OutFrame;

/**
 * What the session logic needs of a socket. Confined to the socket's event loop. The WebSocket
 * implementation closes a client that does not read with 4008; tests use an in-memory one.
 */
public interface ClientConnection {

    /** Writes one text frame (a JSON object), unless the connection is closed. */
    void send(String json);

    /** Writes a frame encoded once for many sockets (a room's broadcast), unless the connection is closed. */
    default void send(OutFrame frame) {
        send(frame.text());
    }

    /** Closes with a code from {@link CloseCode}; further sends are dropped. */
    void close(CloseCode code);

    /** Sends a WebSocket ping (the heartbeat sweep); nothing when closed. */
    void ping();

    boolean isOpen();
}
