package io.aiaas.platform.worker.enrolment.service;

import io.aiaas.internalauth.Jwks;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.worker.auth.ControlPlaneKeys;
import io.aiaas.platform.worker.auth.WorkerKeys;
import io.aiaas.platform.worker.enrolment.EnrolmentConfig;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.CreateEnrolmentToken;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.CreatedEnrolmentToken;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.Enrolled;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.EnrolmentRequest;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.EnrolmentTokenView;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.WorkerIdentityView;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.WorkerKeyView;
import io.aiaas.platform.worker.service.WorkersChanged;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Enrolment tokens (created by platform admins, stored as hashes, limited in uses and time), the enrolment that
 * turns one into a worker identity with its public key, and the keys and revocation of identities.
 */
@ApplicationScoped
public class EnrolmentService {

    private static final Logger LOG = Logger.getLogger(EnrolmentService.class);
    /** A worker has one key, two while it rotates; a few more are tolerated, not an unbounded list. */
    static final int MAX_KEYS_PER_IDENTITY = 4;

    private static final String USE_TOKEN = """
            UPDATE worker_enrolment_tokens SET uses = uses + 1
            WHERE token_sha256 = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
              AND (uses_allowed IS NULL OR uses < uses_allowed)
            RETURNING id""";
    private static final String TOKEN_STATE = """
            SELECT revoked_at IS NOT NULL, expires_at IS NOT NULL AND expires_at <= now(), uses, uses_allowed
            FROM worker_enrolment_tokens WHERE token_sha256 = ?""";
    private static final String TOKEN_COLUMNS = """
            id, name, uses_allowed, uses, expires_at, bootstrap, created_by, created_at, revoked_at,
            CASE WHEN revoked_at IS NOT NULL THEN 'revoked'
                 WHEN expires_at IS NOT NULL AND expires_at <= now() THEN 'expired'
                 WHEN uses_allowed IS NOT NULL AND uses >= uses_allowed THEN 'used_up'
                 ELSE 'active' END""";

    private final Jdbc jdbc;
    private final AuditLog audit;
    private final EnrolmentConfig config;
    private final ControlPlaneKeys controlPlaneKeys;
    private final WorkerKeys workerKeys;
    private final Event<WorkersChanged> changed;

    EnrolmentService(Jdbc jdbc, AuditLog audit, EnrolmentConfig config, ControlPlaneKeys controlPlaneKeys,
            WorkerKeys workerKeys, Event<WorkersChanged> changed) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.config = config;
        this.controlPlaneKeys = controlPlaneKeys;
        this.workerKeys = workerKeys;
        this.changed = changed;
    }

    /** Stores the configured bootstrap token (hash only), or revokes the one left from an earlier start. */
    void bootstrap(@Observes StartupEvent event) {
        Optional<String> token = config.bootstrapToken().map(String::strip).filter(t -> !t.isEmpty());
        if (token.isPresent() && token.get().length() < 32) {
            throw new IllegalStateException("aiaas.workers.enrolment.bootstrap-token"
                    + " (AIAAS_WORKERS_ENROLMENT_BOOTSTRAP_TOKEN) must be at least 32 characters");
        }
        jdbc.inTransaction(c -> {
            byte[] hash = token.map(EnrolmentTokens::hash).orElse(new byte[0]);
            Jdbc.update(c, """
                    UPDATE worker_enrolment_tokens SET revoked_at = now()
                    WHERE bootstrap AND revoked_at IS NULL AND token_sha256 <> ?""", hash);
            if (token.isPresent()) {
                Jdbc.update(c, """
                        INSERT INTO worker_enrolment_tokens (id, name, token_sha256, uses_allowed, expires_at,
                                                             bootstrap, created_by)
                        VALUES (?, 'bootstrap', ?, NULL, NULL, true, 'configuration')
                        ON CONFLICT (token_sha256) DO UPDATE SET revoked_at = NULL
                        WHERE worker_enrolment_tokens.bootstrap""", UUID.randomUUID(), hash);
            }
            return null;
        });
        if (token.isPresent()) {
            LOG.info("workers may enrol with the configured bootstrap token (aiaas.workers.enrolment.bootstrap-token)");
        }
    }

    @Transactional
    public CreatedEnrolmentToken create(Caller caller, CreateEnrolmentToken request) {
        Duration ttl = request.expiresInSeconds() == null ? config.defaultTokenTtl()
                : Duration.ofSeconds(request.expiresInSeconds());
        if (ttl.compareTo(config.maxTokenTtl()) > 0) {
            throw ApiException.badRequest("invalid_expiry", "expires_in_seconds may be at most "
                    + config.maxTokenTtl().toSeconds() + " (aiaas.workers.enrolment.max-token-ttl)");
        }
        int uses = request.uses() == null ? 1 : request.uses();
        String token = EnrolmentTokens.generate();
        UUID id = UUID.randomUUID();
        Instant expiresAt = Instant.now().plus(ttl).truncatedTo(ChronoUnit.MICROS);
        jdbc.update("""
                INSERT INTO worker_enrolment_tokens (id, name, token_sha256, uses_allowed, expires_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?)""", id, request.name().strip(), EnrolmentTokens.hash(token), uses,
                Jdbc.utc(expiresAt), caller.actor());
        audit.record(caller.actor(), ActorKind.USER, null, "worker_enrolment_token.created", "worker_enrolment_token",
                id.toString(), Constraints.json("name", request.name().strip(), "uses", uses,
                        "expires_at", expiresAt.toString()));
        return new CreatedEnrolmentToken(id, request.name().strip(), token, uses, expiresAt);
    }

    public List<EnrolmentTokenView> list() {
        return jdbc.query("SELECT " + TOKEN_COLUMNS + " FROM worker_enrolment_tokens ORDER BY created_at DESC, id",
                rs -> new EnrolmentTokenView(rs.getObject(1, UUID.class), rs.getString(2),
                        (Integer) rs.getObject(3), rs.getInt(4), Jdbc.instant(rs, 5), rs.getBoolean(6),
                        rs.getString(7), Jdbc.instant(rs, 8), Jdbc.instant(rs, 9), rs.getString(10)));
    }

    /** Revokes a token: nobody enrols with it any more (identities it enrolled stay). Revoking twice is no error. */
    @Transactional
    public void revoke(Caller caller, UUID id) {
        List<Boolean> found = jdbc.query("""
                UPDATE worker_enrolment_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = ?
                RETURNING true""", rs -> true, id);
        if (found.isEmpty()) {
            throw ApiException.notFound("enrolment_token_not_found", "no enrolment token " + id);
        }
        audit.record(caller.actor(), ActorKind.USER, null, "worker_enrolment_token.revoked", "worker_enrolment_token",
                id.toString(), null);
    }

    /**
     * Uses one use of the token and registers the worker's public key under a new identity.
     *
     * @throws ApiException 401 {@code enrolment_token_invalid} (unknown, expired, used up, revoked), 400
     *         {@code invalid_public_key}, 409 {@code worker_key_taken} (the key is registered already)
     */
    @Transactional
    public Enrolled enrol(EnrolmentRequest request) {
        ECPublicKey key = publicKey(request.publicKey());
        String keyId = Jwks.keyId(key);
        byte[] hash = EnrolmentTokens.hash(request.token().strip());
        UUID tokenId = jdbc.query(USE_TOKEN, rs -> rs.getObject(1, UUID.class), hash).stream().findFirst()
                .orElseThrow(() -> ApiException.unauthorized("enrolment_token_invalid", whyRefused(hash)));
        UUID identity = UUID.randomUUID();
        String name = request.name().strip();
        jdbc.update("INSERT INTO worker_identities (id, name, enrolment_token_id) VALUES (?, ?, ?)", identity, name,
                tokenId);
        insertKey(identity, keyId, key);
        audit.record(identity.toString(), ActorKind.WORKER, null, "worker.enrolled", "worker_identity",
                identity.toString(), Constraints.json("name", name, "kid", keyId,
                        "enrolment_token_id", tokenId.toString()));
        LOG.infof("worker '%s' enrolled as %s (key %s)", name, identity, keyId);
        return new Enrolled(identity, keyId, controlPlaneKeys.published().toMap());
    }

    private String whyRefused(byte[] hash) {
        return jdbc.query(TOKEN_STATE, rs -> {
            if (rs.getBoolean(1)) {
                return "the enrolment token was revoked";
            }
            if (rs.getBoolean(2)) {
                return "the enrolment token has expired";
            }
            return "the enrolment token has been used up (" + rs.getInt(3) + " of " + rs.getObject(4) + " uses)";
        }, hash).stream().findFirst().orElse("the enrolment token is not known");
    }

    /** Adds a key to the caller's identity (rotation, step one); adding a key it holds already is no error. */
    @Transactional
    public String addKey(UUID identity, Map<String, Object> jwk) {
        ECPublicKey key = publicKey(jwk);
        String keyId = Jwks.keyId(key);
        Optional<UUID> owner = jdbc.queryFirst("SELECT identity_id FROM worker_identity_keys WHERE kid = ?",
                rs -> rs.getObject(1, UUID.class), keyId);
        if (owner.isPresent()) {
            if (!owner.get().equals(identity)) {
                throw ApiException.conflict("worker_key_taken", "this key is registered already");
            }
            return keyId;
        }
        long active = jdbc.queryFirst("""
                SELECT count(*) FROM worker_identity_keys WHERE identity_id = ? AND retired_at IS NULL""",
                rs -> rs.getLong(1), identity).orElse(0L);
        if (active >= MAX_KEYS_PER_IDENTITY) {
            throw ApiException.conflict("too_many_worker_keys", "a worker identity may hold at most "
                    + MAX_KEYS_PER_IDENTITY + " keys: retire the old one first");
        }
        insertKey(identity, keyId, key);
        audit.record(identity.toString(), ActorKind.WORKER, null, "worker.key_added", "worker_identity",
                identity.toString(), Constraints.json("kid", keyId));
        return keyId;
    }

    /** Retires one of the caller's keys (rotation, last step); not the one that signed this request. */
    public void retireKey(UUID identity, String callerKeyId, String keyId) {
        if (keyId.equals(callerKeyId)) {
            throw ApiException.conflict("worker_key_in_use", "the key that signed this request cannot retire itself:"
                    + " sign with the new key");
        }
        QuarkusTransaction.requiringNew().run(() -> {
            if (jdbc.update("""
                    UPDATE worker_identity_keys SET retired_at = now()
                    WHERE kid = ? AND identity_id = ? AND retired_at IS NULL""", keyId, identity) == 0) {
                throw ApiException.notFound("worker_key_not_found", "this worker has no active key " + keyId);
            }
            audit.record(identity.toString(), ActorKind.WORKER, null, "worker.key_retired", "worker_identity",
                    identity.toString(), Constraints.json("kid", keyId));
        });
        workerKeys.forgetAll();
    }

    public List<WorkerIdentityView> identities() {
        Map<UUID, WorkerIdentityView> byId = new LinkedHashMap<>();
        jdbc.query("""
                SELECT i.id, i.name, i.enrolled_at, i.revoked_at, i.enrolment_token_id, k.kid, k.added_at, k.retired_at
                FROM worker_identities i LEFT JOIN worker_identity_keys k ON k.identity_id = i.id
                ORDER BY i.enrolled_at DESC, i.id, k.added_at""", rs -> {
            UUID id = rs.getObject(1, UUID.class);
            WorkerIdentityView view = byId.computeIfAbsent(id, k -> {
                try {
                    return new WorkerIdentityView(id, rs.getString(2), Jdbc.instant(rs, 3), Jdbc.instant(rs, 4),
                            rs.getObject(5, UUID.class), new ArrayList<>());
                } catch (java.sql.SQLException e) {
                    throw Jdbc.translate(e);
                }
            });
            if (rs.getString(6) != null) {
                view.keys().add(new WorkerKeyView(rs.getString(6), Jdbc.instant(rs, 7), Jdbc.instant(rs, 8)));
            }
            return id;
        });
        return List.copyOf(byId.values());
    }

    /**
     * Revokes an identity: its tokens are refused from now on (other replicas within the key cache's lifetime),
     * its worker row goes, so no call is routed to it.
     */
    public void revokeIdentity(Caller caller, UUID identity) {
        QuarkusTransaction.requiringNew().run(() -> {
            List<Boolean> found = jdbc.query("""
                    UPDATE worker_identities SET revoked_at = COALESCE(revoked_at, now()) WHERE id = ?
                    RETURNING true""", rs -> true, identity);
            if (found.isEmpty()) {
                throw ApiException.notFound("worker_identity_not_found", "no worker identity " + identity);
            }
            jdbc.update("DELETE FROM workers WHERE id = ?", identity);
            audit.record(caller.actor(), ActorKind.USER, null, "worker_identity.revoked", "worker_identity",
                    identity.toString(), null);
        });
        workerKeys.forgetAll();
        changed.fire(new WorkersChanged("identity " + identity + " revoked"));
    }

    private void insertKey(UUID identity, String keyId, ECPublicKey key) {
        int inserted = jdbc.update("""
                INSERT INTO worker_identity_keys (kid, identity_id, public_jwk) VALUES (?, ?, ?)
                ON CONFLICT (kid) DO NOTHING""", keyId, identity, new JsonObject(Jwks.toJwk(key)).encode());
        if (inserted == 0) {
            throw ApiException.conflict("worker_key_taken", "this key is registered already: a worker generates a"
                    + " new key pair for each identity");
        }
    }

    private static ECPublicKey publicKey(Map<String, Object> jwk) {
        try {
            return Jwks.parseJwk(jwk);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_public_key", e.getMessage());
        }
    }
}
