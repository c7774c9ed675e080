package io.aiaas.platform.model.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.model.ModelConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The one rule of which model versions a tenant may call: READY versions of public models, of the tenant's own
 * private models and of private models shared with it ({@code model_grants}). The gateway's hot lookup (cached,
 * dropped on every replica when a model changes), the tenant's model list, its pins and the tenants told of a sunset
 * all read it from {@link #callableBy}.
 */
@ApplicationScoped
public class VisibleModels {

    /** The rule, as SQL over {@code models m JOIN model_versions v}; its two parameters are the tenant id. */
    static final String VISIBLE = "v.status = 'READY' AND " + callableBy("?");
    private static final String BY_NAME = """
            SELECT m.id, m.name, v.id, v.version, v.signature::text, v.warmup_status, v.warmup_reason,
                   s.pinned_version, m.stable_version, m.canary_version, m.canary_percent, m.canary_by,
                   m.canary_since, m.rollback_error_percent, m.rollback_window, m.shadow_version, m.shadow_percent,
                   v.deprecated_at, v.sunset_at, v.successor_version, v.deprecation_note
            FROM models m JOIN model_versions v ON v.model_id = m.id
            LEFT JOIN tenant_model_settings s ON s.model_id = m.id AND s.tenant_id = ?
            WHERE m.name = ? AND\s""" + VISIBLE + " ORDER BY v.version DESC";
    private static final String CARDS = """
            SELECT m.name, m.description,
                   CASE WHEN m.visibility = 'PUBLIC' THEN 'public' WHEN m.owner_tenant_id = ? THEN 'private'
                        ELSE 'shared' END,
                   v.version, v.sha256, v.size_bytes, v.signature::text,
                   v.created_at, v.warmup_status, v.warmup_reason, v.example_request::text, v.example_response::text,
                   v.deprecated_at, v.sunset_at, v.successor_version, v.deprecation_note
            FROM models m JOIN model_versions v ON v.model_id = m.id
            WHERE (CAST(? AS text) IS NULL OR m.name = ?) AND\s""" + VISIBLE + " ORDER BY m.name, v.version";

    /**
     * A model's canary as the gateway uses it ({@link RolloutView}): its version and percent, whether a tenant stays
     * on one side ({@code canary_by} tenant) or the share is drawn per call, when it was set, and its automatic
     * rollback ({@code rollbackErrorPercent} null: none).
     */
    public record Canary(int version, int percent, boolean byTenant, Instant since, Integer rollbackErrorPercent,
            int rollbackWindow) {

        /**
         * The draw (0-99) of a call of {@code tenantId} to {@code model}: below the percent takes the canary. Per call
         * at random; per tenant a hash of tenant, model and canary version, the same on every replica, so that a
         * tenant stays on one side, one on the canary at some percent stays on it at a higher one, and each new
         * canary starts on other tenants.
         */
        public int draw(UUID tenantId, String model) {
            return byTenant ? bucket(tenantId, model, version) : ThreadLocalRandom.current().nextInt(100);
        }

        /** A tenant's place (0-99) for a canary version of a model; evenly spread over tenants. */
        public static int bucket(UUID tenantId, String model, int version) {
            long h = tenantId.getMostSignificantBits() * 0x9E3779B97F4A7C15L
                    ^ tenantId.getLeastSignificantBits() * 0xC2B2AE3D27D4EB4FL
                    ^ (((long) model.hashCode() << 32) | (version & 0xFFFFFFFFL)) * 0x165667B19E3779F9L;
            // MurmurHash3's finaliser: every input bit moves the result
            h ^= h >>> 33;
            h *= 0xFF51AFD7ED558CCDL;
            h ^= h >>> 33;
            h *= 0xC4CEB9FE1A85EC53L;
            h ^= h >>> 33;
            return (int) Math.floorMod(h, 100L);
        }
    }

    /** A model's shadow version and the share of its calls that are copied to it ({@link RolloutView}). */
    public record Shadow(int version, int percent) {
    }

    /**
     * A model as one tenant sees it on the hot path: only READY versions, newest first, never empty; the version the
     * tenant pinned for calls that name none (null: none), and the model's rollout for them ({@link RolloutView}:
     * the stable version, the canary and the shadow, each null for none).
     */
    public record VisibleModel(UUID id, String name, List<VisibleVersion> versions, Integer pinnedVersion,
            Integer stableVersion, Canary canary, Shadow shadow) {

        /** The requested version, or the newest when {@code version} is null. */
        public Optional<VisibleVersion> version(Integer version) {
            if (version == null) {
                return Optional.of(versions.get(0));
            }
            return versions.stream().filter(v -> v.version() == version).findFirst();
        }

        /** {@link #unnamed(Predicate, int)} for a draw that never picks the canary: where most such calls go. */
        public Optional<VisibleVersion> unnamed(Predicate<UUID> serving) {
            return unnamed(serving, 100);
        }

        /**
         * The version for a call that names none: the pinned one (empty when it is no longer callable: retired);
         * else the canary when {@code draw} ({@link Canary#draw}) is below its percent and a worker serves it;
         * else the stable version; else the newest one that {@code serving} says a worker holds, the canary and the
         * shadow aside;
         * else the newest (which no worker holds yet). So a new version takes calls only once a worker loaded and
         * warmed it up, one that failed to load leaves the previous one serving, and a stable version keeps a newer
         * one from taking calls until the admin promotes it.
         */
        public Optional<VisibleVersion> unnamed(Predicate<UUID> serving, int draw) {
            if (pinnedVersion != null) {
                return version(pinnedVersion);
            }
            Integer canaryVersion = canary == null ? null : canary.version();
            if (canary != null && draw < canary.percent()) {
                Optional<VisibleVersion> chosen = version(canaryVersion).filter(v -> serving.test(v.id()));
                if (chosen.isPresent()) {
                    return chosen;
                }
            }
            if (stableVersion != null) {
                Optional<VisibleVersion> stable = version(stableVersion);
                if (stable.isPresent()) {
                    return stable;
                }
            }
            return Optional.of(versions.stream()
                    .filter(v -> serving.test(v.id()) && !Integer.valueOf(v.version()).equals(canaryVersion)
                            && (shadow == null || v.version() != shadow.version()))
                    .findFirst()
                    .or(() -> versions.stream().filter(v -> serving.test(v.id())).findFirst())
                    .orElse(versions.get(0)));
        }
    }

    /**
     * A READY version, its signature ({@code {"inputs": [...], "outputs": [...]}}), its warm-up and its sunset
     * ({@code deprecation}, null when none).
     */
    public record VisibleVersion(UUID id, int version, JsonNode signature, WarmupView warmup,
            DeprecationView deprecation) {
    }

    private record Key(UUID tenantId, String name) {
    }

    /**
     * Whether the tenant {@code tenant} (an SQL expression: {@code ?} for a parameter, or a column) may call the model
     * {@code m}, as SQL: it is public, the tenant's own, or shared with it.
     */
    static String callableBy(String tenant) {
        return "(m.visibility = 'PUBLIC' OR m.owner_tenant_id = " + tenant + " OR EXISTS (SELECT 1 FROM model_grants g"
                + " WHERE g.model_id = m.id AND g.tenant_id = " + tenant + "))";
    }

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final ChangeNotifications notifications;
    private final Cache<Key, Optional<VisibleModel>> cache;

    VisibleModels(Jdbc jdbc, ObjectMapper json, ChangeNotifications notifications, ModelConfig config) {
        this.jdbc = jdbc;
        this.json = json;
        this.notifications = notifications;
        this.cache = Caffeine.newBuilder().expireAfterWrite(config.cacheTtl()).maximumSize(50_000).build();
    }

    void subscribe(@Observes StartupEvent event) {
        notifications.subscribe(ModelsChanged.CHANNEL, (channel, payload) -> cache.invalidateAll());
    }

    void onChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ModelsChanged changed) {
        cache.invalidateAll();
    }

    /** The model if it exists, has a READY version and the tenant may see it; empty otherwise (never "forbidden"). */
    public Optional<VisibleModel> find(UUID tenantId, String name) {
        if (!ModelRefs.isValidName(name)) {
            return Optional.empty();
        }
        return cache.get(new Key(tenantId, name), this::load);
    }

    /** {@link #find}, read from the database now (what a change just committed looks like). */
    public Optional<VisibleModel> findUncached(UUID tenantId, String name) {
        return ModelRefs.isValidName(name) ? load(new Key(tenantId, name)) : Optional.empty();
    }

    /** The id of the model of that name (not deleted) if the tenant may call it, whether or not it has a version. */
    public Optional<UUID> callableModelId(UUID tenantId, String name) {
        if (!ModelRefs.isValidName(name)) {
            return Optional.empty();
        }
        return jdbc.queryFirst("SELECT m.id FROM models m WHERE m.name = ? AND m.deleted_at IS NULL AND "
                + callableBy("?"), rs -> rs.getObject(1, UUID.class), name, tenantId, tenantId);
    }

    /** The model cards a tenant may see (one model by name, or all when {@code name} is null), by name. */
    public List<TenantModelView> cards(UUID tenantId, String name) {
        Map<String, List<TenantModelView.Version>> versions = new LinkedHashMap<>();
        Map<String, String[]> models = new LinkedHashMap<>();
        jdbc.query(CARDS, rs -> {
            String model = rs.getString(1);
            models.putIfAbsent(model, new String[] {rs.getString(2), rs.getString(3)});
            versions.computeIfAbsent(model, k -> new ArrayList<>()).add(new TenantModelView.Version(rs.getInt(4),
                    rs.getString(5).strip(), rs.getLong(6), ModelSignatures.viewOfJson(rs.getString(7)),
                    Jdbc.instant(rs, 8), WarmupView.of(rs.getString(9), rs.getString(10)),
                    ExampleView.of(rs.getString(11), rs.getString(12)), deprecation(rs, 13)));
            return model;
        }, tenantId, name, name, tenantId, tenantId);
        List<TenantModelView> cards = new ArrayList<>();
        models.forEach((model, info) -> {
            List<TenantModelView.Version> vs = versions.get(model);
            cards.add(new TenantModelView(model, info[0], info[1],
                    vs.get(vs.size() - 1).version(), vs));
        });
        return cards;
    }

    private Optional<VisibleModel> load(Key key) {
        List<VisibleVersion> versions = new ArrayList<>();
        UUID[] modelId = new UUID[1];
        String[] name = new String[1];
        Integer[] choice = new Integer[2]; // the tenant's pin, the stable version
        Canary[] canary = new Canary[1];
        Shadow[] shadow = new Shadow[1];
        jdbc.query(BY_NAME, rs -> {
            modelId[0] = rs.getObject(1, UUID.class);
            name[0] = rs.getString(2);
            versions.add(new VisibleVersion(rs.getObject(3, UUID.class), rs.getInt(4), signature(rs.getString(5)),
                    WarmupView.of(rs.getString(6), rs.getString(7)), deprecation(rs, 18)));
            choice[0] = (Integer) rs.getObject(8);
            choice[1] = (Integer) rs.getObject(9);
            Integer canaryVersion = (Integer) rs.getObject(10);
            if (canaryVersion != null) {
                Integer window = (Integer) rs.getObject(15);
                canary[0] = new Canary(canaryVersion, rs.getInt(11), "tenant".equals(rs.getString(12)),
                        Jdbc.instant(rs, 13), (Integer) rs.getObject(14), window == null ? 0 : window);
            }
            Integer shadowVersion = (Integer) rs.getObject(16);
            if (shadowVersion != null) {
                shadow[0] = new Shadow(shadowVersion, rs.getInt(17));
            }
            return null;
        }, key.tenantId(), key.name(), key.tenantId(), key.tenantId());
        return versions.isEmpty() ? Optional.empty()
                : Optional.of(new VisibleModel(modelId[0], name[0], List.copyOf(versions), choice[0], choice[1],
                        canary[0], shadow[0]));
    }

    /** The sunset in the four columns from {@code first}: deprecated_at, sunset_at, successor_version, note. */
    private static DeprecationView deprecation(ResultSet rs, int first) throws SQLException {
        return DeprecationView.of(Jdbc.instant(rs, first), Jdbc.instant(rs, first + 1),
                (Integer) rs.getObject(first + 2), rs.getString(first + 3));
    }

    private JsonNode signature(String text) {
        if (text == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
