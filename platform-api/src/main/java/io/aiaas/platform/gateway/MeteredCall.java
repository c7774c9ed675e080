package io.aiaas.platform.gateway;

import io.aiaas.platform.apikey.service.ApiKeyAuthenticator.KeyPrincipal;
import io.aiaas.platform.model.service.ModelRefs;
import io.aiaas.platform.usage.service.UsageRecord;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** What the gateway learns about one authenticated call while serving it, for its usage row. */
final class MeteredCall {

    /** The kind of call, as stored in {@code usage_records.endpoint}; only a successful infer call is billable. */
    enum Endpoint {
        INFER, METADATA, READY
    }

    final UUID requestId;
    final Endpoint endpoint;
    final KeyPrincipal caller;
    final Instant startedAt;
    UUID modelId;
    UUID modelVersionId;
    UUID workerId;
    String modelName;
    Integer modelVersion;
    int items;
    long computeUs;
    long bytesIn;
    String device;
    String errorCode;

    MeteredCall(UUID requestId, Endpoint endpoint, KeyPrincipal caller, Instant startedAt) {
        this.requestId = requestId;
        this.endpoint = endpoint;
        this.caller = caller;
        this.startedAt = startedAt;
    }

    /** The name the client asked for, kept for the row only when it can be a model's name (it goes into SQL). */
    void askedFor(String name, Integer version) {
        this.modelName = ModelRefs.isValidName(name) ? name : null;
        this.modelVersion = version;
    }

    UsageRecord toRecord(int status, long bytesOut, Instant finishedAt) {
        boolean ok = status >= 200 && status < 300;
        return new UsageRecord(requestId, caller.tenantId(), caller.keyId(), modelId, modelVersionId, workerId,
                modelName, modelVersion, endpoint.name().toLowerCase(Locale.ROOT), status,
                ok && endpoint == Endpoint.INFER, ok ? items : 0, computeUs, bytesIn, bytesOut, device,
                ok ? null : errorCode == null ? "http_" + status : errorCode, startedAt, finishedAt);
    }
}
