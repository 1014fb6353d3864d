package nl.kring.server.accounts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.kring.server.db.Database;
import nl.kring.server.protocol.ErrorCode;
import nl.kring.server.protocol.KringException;
import nl.kring.server.shared.Principal;

/**
 * A staff member enrols, confirms and removes their TOTP second factor. Enrolment stores a new
 * secret, encrypted with the server key; it becomes active with the first code that proves the app has it. Removal needs a
 * valid code and is refused where the installation requires a second factor for the role.
 * Confirming and removing share one limit: 5 codes, then one a minute ({@code rate_limited}).
 */
public final class SecondFactor {

    static final String ISSUER = "Kring";

    private final AuthService auth;
    private final Database db;
    private final boolean required;

    public SecondFactor(AuthService auth, Database db, boolean required) {
        this.auth = auth;
        this.db = db;
        this.required = required;
    }

    /** A new secret and its otpauth URI; 409 when a factor is already active. */
    public Future<JsonObject> enrol(Principal p) {
        requireStaff(p);
        String secret = Totp.newSecret();
        return auth.accounts().setTotpSecret(p.userId(), auth.sealTotpSecret(p.userId(), secret))
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(stored -> stored
                        ? Future.succeededFuture(new JsonObject().put("secret", secret)
                                .put("otpauthUri", Totp.uri(secret, p.name(), ISSUER)))
                        : Future.failedFuture(new KringException(ErrorCode.CONFLICT, "a second factor is already active; remove it first")));
    }

    /** Activates the enrolled secret with a code from the app. */
    public Future<JsonObject> confirm(Principal p, JsonObject body) {
        requireStaff(p);
        String code = code(body);
        return auth.accounts().findStaff(p.userId())
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(found -> {
                    if (found.isEmpty() || found.get().totpSecret() == null) {
                        return Future.failedFuture(new KringException(ErrorCode.CONFLICT, "start an enrolment first"));
                    }
                    return auth.useTotp(p.userId(), found.get().totpSecret(), code);
                })
                .compose(ok -> {
                    if (!ok) {
                        return Future.failedFuture(KringException.badRequest("code is not the current code of this secret"));
                    }
                    auth.forgetUser(p.userId(), null);
                    return auth.newRecoveryCodes(p.userId());
                })
                .map(codes -> new JsonObject().put("totpEnabled", true).put("recoveryCodes", new JsonArray(codes)));
    }

    /**
     * A new set of ten recovery codes, shown once, replacing the old set; for staff whose second
     * factor is active ({@code conflict} otherwise). Each works once at sign-in in place of a code.
     */
    public Future<JsonObject> recoveryCodes(Principal p) {
        requireStaff(p);
        return auth.accounts().findStaff(p.userId())
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(found -> found.isEmpty() || !found.get().totpEnabled()
                        ? Future.failedFuture(new KringException(ErrorCode.CONFLICT, "enable a second factor first"))
                        : auth.newRecoveryCodes(p.userId()))
                .map(codes -> new JsonObject().put("codes", new JsonArray(codes)));
    }

    /** Removes the second factor (with a valid code); refused where the installation requires one. */
    public Future<JsonObject> remove(Principal p, JsonObject body) {
        requireStaff(p);
        if (required && TotpCodes.ROLES.contains(p.role())) {
            throw new KringException(ErrorCode.FORBIDDEN, "this installation requires a second factor for your role");
        }
        String code = code(body);
        return auth.accounts().findStaff(p.userId())
                .recover(t -> Future.failedFuture(db.failure(t)))
                .compose(found -> found.isEmpty() || !found.get().totpEnabled()
                        ? Future.failedFuture(new KringException(ErrorCode.CONFLICT, "no second factor is active"))
                        : found.get().totpRequired()
                        ? Future.failedFuture(new KringException(ErrorCode.FORBIDDEN, "an admin requires a second factor of your account"))
                        : auth.useTotp(p.userId(), found.get().totpSecret(), code))
                .compose(ok -> ok
                        ? auth.accounts().disableTotp(p.userId()).recover(t -> Future.failedFuture(db.failure(t)))
                                .compose(v -> auth.forgetRecoveryCodes(p.userId()))
                        : Future.failedFuture(KringException.badRequest("code is not the current code")))
                .map(v -> {
                    auth.forgetUser(p.userId(), null);
                    return new JsonObject().put("totpEnabled", false);
                });
    }

    private static String code(JsonObject body) {
        Object v = body.getValue("code");
        if (!(v instanceof String s) || s.isEmpty() || s.length() > 16) {
            throw KringException.badRequest("code must be the 6-digit code from the authenticator app");
        }
        return s;
    }

    private static void requireStaff(Principal p) {
        if (p.isMember()) {
            throw new KringException(ErrorCode.FORBIDDEN, "a second factor is for staff accounts");
        }
    }
}
