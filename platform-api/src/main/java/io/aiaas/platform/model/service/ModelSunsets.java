package io.aiaas.platform.model.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.audit.ActorKind;
import io.aiaas.platform.audit.AuditLog;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Constraints;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.model.persistence.ModelEntity;
import io.aiaas.platform.model.persistence.ModelRepository;
import io.aiaas.platform.model.persistence.ModelVersionEntity;
import io.aiaas.platform.model.persistence.ModelVersionRepository;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A version's sunset: an admin deprecates a version with the date the platform retires it, optionally the version to
 * move to and a note. Until then calls that name it (or a tenant's pin to it) carry {@code Deprecation} and
 * {@code Sunset} headers (the gateway reads it with the model, {@link VisibleModels}); every tenant that may call it
 * hears of it by webhook; at its sunset every replica's job tries to retire it and one does, as an admin's
 * retirement would. No HTTP in here.
 */
@ApplicationScoped
public class ModelSunsets {

    /** Type of the webhook event queued when a version's sunset is scheduled or changed. */
    public static final String DEPRECATED_EVENT = "model_version.deprecated";
    /** Type of the webhook event queued when a version's sunset is cancelled. */
    public static final String CANCELLED_EVENT = "model_version.deprecation_cancelled";

    private static final Logger LOG = Logger.getLogger(ModelSunsets.class);
    private static final String DUE = """
            SELECT v.model_id, v.version FROM model_versions v
            WHERE v.status = 'READY' AND v.sunset_at IS NOT NULL AND v.sunset_at <= now()
            ORDER BY v.sunset_at""";
    /** The tenants that may call a model's versions ({@link VisibleModels}'s rule) and have a webhook. */
    private static final String LISTENERS = """
            SELECT t.id, t.slug FROM tenants t JOIN models m ON m.id = ?
            WHERE t.webhook_url IS NOT NULL AND t.status <> 'CLOSED' AND\s""" + VisibleModels.callableBy("t.id");

    private final ModelService service;
    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final AuditLog audit;
    private final Jdbc jdbc;

    ModelSunsets(ModelService service, ModelRepository models, ModelVersionRepository versions, AuditLog audit,
            Jdbc jdbc) {
        this.service = service;
        this.models = models;
        this.versions = versions;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    /**
     * Schedules (or changes) a version's sunset; it stays deprecated since the first time, and the same sunset again
     * changes nothing (no audit row, no webhook). Answers the version.
     *
     * @throws ApiException 400 {@code invalid_sunset} (sunset_at missing, not an instant, not in the future, more
     *     than ten years ahead; a note too long), {@code invalid_successor} (not a READY version of the model, the
     *     version itself, or one whose own sunset comes first); 404 {@code model_not_found},
     *     {@code version_not_found}; 409 {@code version_retired}
     */
    @Transactional
    public VersionView schedule(String name, String versionText, SunsetRequest request, Caller caller) {
        int version = ModelRefs.parseVersion(versionText);
        Instant now = ModelService.now();
        Instant sunsetAt = sunsetAt(request.sunsetAt(), now);
        String note = request.note() == null || request.note().isBlank() ? null : request.note().strip();
        if (note != null && note.length() > SunsetRequest.MAX_NOTE) {
            throw ApiException.badRequest("invalid_sunset", "note is " + note.length() + " characters; at most "
                    + SunsetRequest.MAX_NOTE);
        }
        ModelEntity model = service.lockLive(name);
        ModelVersionEntity v = callable(model, version);
        if (request.successor() != null) {
            successor(model, v, request.successor(), sunsetAt);
        }
        boolean changing = v.deprecatedAt != null;
        if (changing && sunsetAt.equals(v.sunsetAt) && Objects.equals(request.successor(), v.successorVersion)
                && Objects.equals(note, v.deprecationNote)) {
            return ModelService.view(model, v, List.of()); // the same again: nothing to audit or tell
        }
        v.deprecatedAt = changing ? v.deprecatedAt : now;
        v.sunsetAt = sunsetAt;
        v.successorVersion = request.successor();
        v.deprecationNote = note;
        v.updatedAt = now;
        audit.record(caller.actor(), ActorKind.USER, model.ownerTenantId, "model_version.sunset_scheduled",
                "model_version", model.name + "/" + version, Constraints.json("sunset_at", sunsetAt.toString(),
                        "successor", request.successor(), "note", note, "changed", changing));
        tellTenants(model, v, DEPRECATED_EVENT, now);
        service.announce(model.name);
        return ModelService.view(model, v, List.of());
    }

    /**
     * Cancels a version's sunset: it is no longer deprecated and is not retired (nothing happens when it had none).
     *
     * @throws ApiException 404 {@code model_not_found}, {@code version_not_found}; 409 {@code version_retired}
     */
    @Transactional
    public void cancel(String name, String versionText, Caller caller) {
        int version = ModelRefs.parseVersion(versionText);
        ModelEntity model = service.lockLive(name);
        ModelVersionEntity v = callable(model, version);
        if (v.deprecatedAt == null) {
            return;
        }
        Instant now = ModelService.now();
        audit.record(caller.actor(), ActorKind.USER, model.ownerTenantId, "model_version.sunset_cancelled",
                "model_version", model.name + "/" + version, Constraints.json("sunset_at", v.sunsetAt.toString()));
        v.deprecatedAt = null;
        v.sunsetAt = null;
        v.successorVersion = null;
        v.deprecationNote = null;
        v.updatedAt = now;
        tellTenants(model, v, CANCELLED_EVENT, now);
        service.announce(model.name);
    }

    /** Every replica, every {@code aiaas.models.sunset-check-interval}: a version is retired that long after its sunset. */
    @Scheduled(every = "${aiaas.models.sunset-check-interval:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        retireDue();
    }

    /**
     * Retires every READY version whose sunset has come, each in its own transaction. Every replica runs it; the
     * model row's lock makes one of them retire a version and the others find it retired.
     *
     * @return how many versions this call retired
     */
    public int retireDue() {
        int retired = 0;
        for (Due due : jdbc.query(DUE, rs -> new Due(rs.getObject(1, UUID.class), rs.getInt(2)))) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> retireAtSunset(due.modelId(), due.version()))) {
                    retired++;
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "could not retire version %d of model %s at its sunset; trying again", due.version(),
                        due.modelId());
            }
        }
        return retired;
    }

    private record Due(UUID modelId, int version) {
    }

    private record Listener(UUID id, String slug) {
    }

    private boolean retireAtSunset(UUID modelId, int version) {
        ModelEntity model = models.lock(modelId).orElse(null);
        ModelVersionEntity v = model == null ? null : versions.find(model.id, version).orElse(null);
        Instant now = ModelService.now();
        if (v == null || !"READY".equals(v.status) || v.sunsetAt == null || v.sunsetAt.isAfter(now)) {
            return false; // another replica retired it, or an admin retired it or changed its sunset meanwhile
        }
        service.retire(model, v, "system", ActorKind.SYSTEM, Constraints.json("sha256", v.sha256, "reason",
                "sunset", "sunset_at", v.sunsetAt.toString()));
        LOG.infof("retired version %d of model %s at its sunset (%s)", version, model.name, v.sunsetAt);
        return true;
    }

    private static Instant sunsetAt(String text, Instant now) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("invalid_sunset", "sunset_at is required: when the platform retires the "
                    + "version, an ISO-8601 instant such as 2027-01-31T00:00:00Z");
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(text.strip()).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_sunset", "sunset_at '" + ModelRefs.shorten(text) + "' is not an "
                    + "ISO-8601 instant with its offset, such as 2027-01-31T00:00:00Z");
        }
        if (!at.isAfter(now)) {
            throw ApiException.badRequest("invalid_sunset", "sunset_at " + at + " is not in the future; to retire "
                    + "the version now, DELETE it");
        }
        if (at.isAfter(now.plus(3653, ChronoUnit.DAYS))) {
            throw ApiException.badRequest("invalid_sunset", "sunset_at " + at + " is more than ten years ahead");
        }
        return at;
    }

    /** The successor must be another READY version of the model that outlives this one. */
    private void successor(ModelEntity model, ModelVersionEntity v, int successor, Instant sunsetAt) {
        if (successor == v.version) {
            throw ApiException.badRequest("invalid_successor", "version " + successor + " cannot succeed itself");
        }
        ModelVersionEntity next = versions.find(model.id, successor).filter(s -> "READY".equals(s.status))
                .orElseThrow(() -> ApiException.badRequest("invalid_successor", "model " + model.name + " has no "
                        + "version " + successor + " that can be called"));
        if (next.sunsetAt != null && next.sunsetAt.isBefore(sunsetAt)) {
            throw ApiException.badRequest("invalid_successor", "version " + successor + " is retired at "
                    + next.sunsetAt + ", before this version's sunset");
        }
    }

    private ModelVersionEntity callable(ModelEntity model, int version) {
        ModelVersionEntity v = versions.find(model.id, version).orElseThrow(() -> ApiException.notFound(
                "version_not_found", "Model '" + model.name + "' has no version " + version));
        if (!"READY".equals(v.status)) {
            throw ApiException.conflict("version_retired", "Model '" + model.name + "' version " + version
                    + " is retired already");
        }
        return v;
    }

    /**
     * Queues the event for every tenant that may call the version and has a webhook, in this transaction:
     * {@code data} names the model, version, {@code deprecated_at}, {@code sunset_at}, {@code successor},
     * {@code note} (null when cancelled) and the version's inference URL.
     */
    private void tellTenants(ModelEntity model, ModelVersionEntity v, String type, Instant at) {
        jdbc.withConnection(c -> {
            for (Listener tenant : Jdbc.query(c, LISTENERS, rs -> new Listener(rs.getObject(1, UUID.class),
                    rs.getString(2)), model.id)) {
                ObjectNode data = WebhookOutbox.data();
                data.put("model", model.name);
                data.put("version", v.version);
                data.put("deprecated_at", v.deprecatedAt == null ? null : v.deprecatedAt.toString());
                data.put("sunset_at", v.sunsetAt == null ? null : v.sunsetAt.toString());
                data.put("successor", v.successorVersion);
                data.put("note", v.deprecationNote);
                data.put("url", "/v2/models/" + model.name + "/versions/" + v.version);
                UUID eventId = UUID.randomUUID();
                WebhookOutbox.enqueue(c, tenant.id(), eventId, type,
                        WebhookOutbox.payload(eventId, type, at, tenant.slug(), data));
            }
            return null;
        });
    }
}
