package nl.kring.server.gateway;

import io.vertx.core.Future;
import nl.kring.server.limits.RateLimiter;
import nl.kring.server.metrics.KringMetrics;
import nl.kring.server.protocol.CloseCode;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.sending.SendFlow;

/**
 * The {@code send} request's binding: the frame's fields, the member's rate (a flood of refused
 * sends closes the socket), then the send use case ({@link SendFlow}), whose outcome becomes the
 * reply. Node-wide.
 */
final class Sends {

    private final RateLimiter<Long> limiter;
    private final SendFlow flow;
    private final KringMetrics metrics;

    Sends(RateLimiter<Long> limiter, SendFlow flow, KringMetrics metrics) {
        this.limiter = limiter;
        this.flow = flow;
        this.metrics = metrics;
    }

    void send(Session s, String id, Requests.Send request, long arrived) {
        String roomId = request.room();
        String clientMsgId = request.clientMsgId();
        String body = request.body();
        boolean cw = request.cw();
        // One rate per member over every node of a cluster (the take may go to another node); the sends of
        // one socket pass the limiter in the order they came. Alone, the take is done at once, on this loop.
        long user = s.principal().userId();
        Future<Long> permit = s.sendOrder().transform(v -> limiter.acquire(user));
        s.sendOrder(permit);
        s.then(permit, taken -> {
            long wait = taken.succeeded() ? taken.result() : 0;
            if (wait > 0) {
                metrics.sendOutcome(KringMetrics.SendResult.RATE_LIMITED);
                s.replyError(id, new KringException(ErrorCode.RATE_LIMITED, "you are sending too fast", wait));
                if (s.floodStrike()) {
                    s.close(CloseCode.FLOODING);
                }
                return;
            }
            admitted(s, id, new SendFlow.Request(s.principal(), roomId, clientMsgId, body, cw, arrived));
        });
    }

    /** A send within the member's rate: the send use case decides the rest; this writes the reply. */
    private void admitted(Session s, String id, SendFlow.Request request) {
        s.then(flow.send(request), ar -> {
            if (ar.failed()) {
                s.replyError(id, KringException.from(ar.cause()));
            } else if (ar.result().error() != null) {
                s.replyError(id, ar.result().error());
            } else {
                s.replyOk(id, ar.result().data());
            }
        });
    }
}
