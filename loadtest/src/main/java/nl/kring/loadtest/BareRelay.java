package nl.kring.loadtest;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import nl.kring.websocket.BehindLoopFlushes;

/**
 * The ceiling Kring is measured against: a bare Vert.x WebSocket relay speaking the same
 * protocol subset (join with resume, leave, send; frames shaped like Kring's; one room per socket) with no
 * accounts, no tickets, no #chatsafe and no database. Like Kring it parses every frame, gives
 * each room a gap-free seq and fans out with one task per event loop per message, each frame
 * encoded once per room.
 *
 * <p>Usage: {@code java … nl.kring.loadtest.BareRelay PORT [EVENT_LOOPS]} (PORT 0: a free port); prints
 * {@code Bare relay started on PORT} when it listens.
 */
public final class BareRelay extends AbstractVerticle {

    private static final ConcurrentHashMap<String, Room> ROOMS = new ConcurrentHashMap<>();
    private static final AtomicLong USERS = new AtomicLong();
    /** Frames a room keeps for resume. */
    private static final int RECENT = 10_000;
    private final int port;
    /** The port the instances share, once listening. */
    private static volatile int bound;

    BareRelay(int port) {
        this.port = port;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(loops));
        vertx.deployVerticle(() -> new BareRelay(port), new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("Bare relay started on " + bound))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public void start(io.vertx.core.Promise<Void> started) {
        // as the gateway does: port 0 becomes one kernel-chosen port shared by the instances
        vertx.createHttpServer(new HttpServerOptions().setPort(port == 0 ? -1 : port).setHost("127.0.0.1").setTcpNoDelay(true)
                        .setAcceptBacklog(4096).setMaxWebSocketFrameSize(16384).setMaxWebSocketMessageSize(16384))
                .connectionHandler(BehindLoopFlushes::install)
                .webSocketHandler(this::connected)
                .listen().<Void>map(server -> {
                    bound = server.actualPort();
                    return null;
                }).onComplete(started);
    }

    private void connected(ServerWebSocket ws) {
        if (!ws.path().equals("/ws")) {
            ws.close((short) 1008);
            return;
        }
        Member me = new Member(ws, context, "u" + USERS.incrementAndGet());
        ws.writeTextMessage(new JsonObject().put("type", "welcome")
                .put("user", new JsonObject().put("id", me.id).put("pseudonym", me.id).put("role", "member"))
                .put("heartbeatSeconds", 25).put("serverTime", Instant.now().toString()).encode());
        ws.textMessageHandler(text -> frame(me, text));
        ws.closeHandler(v -> {
            if (me.room != null) {
                me.room.remove(me);
            }
        });
    }

    private void frame(Member me, String text) {
        JsonObject f;
        try {
            f = new JsonObject(text);
        } catch (DecodeException e) {
            me.ws.writeTextMessage("{\"type\":\"error\",\"error\":{\"code\":\"bad_request\",\"message\":\"malformed JSON\"}}");
            return;
        }
        String id = f.getString("id");
        String roomId = f.getString("room");
        switch (String.valueOf(f.getString("type"))) {
            case "join" -> {
                if (me.room != null) {
                    me.room.remove(me);
                }
                Room room = ROOMS.computeIfAbsent(roomId, Room::new);
                JsonObject since = f.getJsonObject("since");
                List<String> backlog = new ArrayList<>();
                long lastSeq = room.add(me, since == null ? -1 : since.getLong("seq", 0L), backlog);
                reply(me, id, new JsonObject().put("room", roomId).put("epoch", 1).put("lastSeq", lastSeq)
                        .put("online", room.online.get()));
                if (since != null) {
                    if (backlog.size() == 1 && backlog.get(0) == null) {
                        me.ws.writeTextMessage(new JsonObject().put("type", "reset").put("room", roomId).put("epoch", 1)
                                .put("lastSeq", lastSeq).encode());
                    } else {
                        backlog.forEach(me.ws::writeTextMessage);
                        me.ws.writeTextMessage(new JsonObject().put("type", "resumed").put("room", roomId).put("lastSeq", lastSeq).encode());
                    }
                }
            }
            case "leave" -> {
                if (me.room != null && me.room.id.equals(roomId)) {
                    me.room.remove(me);
                }
                reply(me, id, new JsonObject());
            }
            case "send" -> {
                Room room = me.room;
                if (room == null || !room.id.equals(roomId)) {
                    me.ws.writeTextMessage(new JsonObject().put("type", "reply").put("id", id).put("ok", false)
                            .put("error", new JsonObject().put("code", "not_member").put("message", "join the room first")).encode());
                    return;
                }
                long seq = room.publish(me, f.getString("clientMsgId"), f.getString("body"));
                reply(me, id, new JsonObject().put("status", "delivered").put("seq", seq));
            }
            default -> me.ws.writeTextMessage(new JsonObject().put("type", "reply").put("id", id).put("ok", false)
                    .put("error", new JsonObject().put("code", "bad_request").put("message", "unknown type")).encode());
        }
    }

    private static void reply(Member me, String id, JsonObject data) {
        me.ws.writeTextMessage(new JsonObject().put("type", "reply").put("id", id).put("ok", true).put("data", data).encode());
    }

    private static final class Member {
        final ServerWebSocket ws;
        final Context context;
        final String id;
        /** The one room this socket is in (the relay's subset: one room per socket) and the seq it joined after. */
        Room room;
        long from;

        Member(ServerWebSocket ws, Context context, String id) {
            this.ws = ws;
            this.context = context;
            this.id = id;
        }
    }

    /** A room: members sharded by event loop, seq given under the room's lock so broadcasts leave in order. */
    private static final class Room {
        final String id;
        final ConcurrentHashMap<Context, Set<Member>> shards = new ConcurrentHashMap<>();
        final AtomicLong online = new AtomicLong();
        /** The newest frames, for resume (Kring reads its history cache and database instead). */
        final String[] recent = new String[RECENT];
        long lastSeq;

        Room(String id) {
            this.id = id;
        }

        /**
         * Adds a member on its own loop (where its shard's set lives) and returns the seq it starts
         * after; a broadcast already posted for an older seq is skipped by {@code from}.
         */
        long add(Member m, long since, List<String> backlog) {
            shards.computeIfAbsent(m.context, c -> new LinkedHashSet<>()).add(m);
            online.incrementAndGet();
            m.room = this;
            synchronized (this) {
                m.from = lastSeq;
                if (since >= 0) {
                    if (since < lastSeq - RECENT || since > lastSeq) {
                        backlog.add(null);
                    } else {
                        for (long q = since + 1; q <= lastSeq; q++) {
                            backlog.add(recent[(int) (q % RECENT)]);
                        }
                    }
                }
                return lastSeq;
            }
        }

        /** Removes a member; on its own loop. */
        void remove(Member m) {
            Set<Member> set = shards.get(m.context);
            if (set != null && set.remove(m)) {
                online.decrementAndGet();
            }
            m.room = null;
        }

        synchronized long publish(Member author, String clientMsgId, String body) {
            long seq = ++lastSeq;
            String json = new JsonObject().put("type", "message").put("room", id).put("seq", seq).put("msgId", id + "-" + seq)
                    .put("clientMsgId", clientMsgId)
                    .put("author", new JsonObject().put("id", author.id).put("pseudonym", author.id).put("role", "member"))
                    .put("cw", false).put("ts", Instant.now().toString()).put("body", body).encode();
            recent[(int) (seq % RECENT)] = json;
            // Encoded to UTF-8 once and shared by every socket's frame, as the server does (OutFrame).
            byte[] utf8 = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (var shard : shards.entrySet()) {
                Set<Member> members = shard.getValue();
                shard.getKey().runOnContext(v -> {
                    for (Member m : members) {
                        if (seq > m.from) {
                            m.ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true));
                        }
                    }
                });
            }
            return seq;
        }
    }
}
