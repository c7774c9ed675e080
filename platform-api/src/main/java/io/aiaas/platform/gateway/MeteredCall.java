package io.aiaas.platform.gateway;

import io.aiaas.platform.apikey.service.ApiKeyAuthenticator.KeyPrincipal;
import io.aiaas.platform.limits.service.Admission;
import io.aiaas.platform.limits.service.Limits;
import io.aiaas.platform.model.service.DeprecationView;
import io.aiaas.platform.model.service.ModelRefs;
import io.aiaas.platform.model.service.VisibleModels.Canary;
import io.aiaas.platform.plan.service.ActivePlan;
import io.aiaas.platform.usage.service.UsageRecord;
import java.time.Instant;
import java.time.LocalDate;
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
    /** The canary the model's rollout sent this call to, judged by {@code CanaryWatch}; null: none. */
    Canary canary;
    /** The sunset of the version the call named or its tenant pinned, told in its answer; null: none. */
    DeprecationView deprecation;
    /** The tenant's plan when the call started (null: none), and the billing period the call belongs to. */
    final ActivePlan plan;
    final LocalDate period;
    /** What the call took from the plan's limits; finished once the usage row is settled. */
    Admission admission = Admission.none();
    /** The answer to store under the call's Idempotency-Key, when it has one and the answer may be replayed. */
    UsageRecord.Idempotent idempotent;
    /** The call's Idempotency-Key once it holds it (its answer is then stored, or the key released). */
    String idempotencyKey;
    /** A replayed answer: recorded, never billed again. */
    boolean replay;

    MeteredCall(UUID requestId, Endpoint endpoint, KeyPrincipal caller, Instant startedAt, ActivePlan plan,
            LocalDate period) {
        this.requestId = requestId;
        this.endpoint = endpoint;
        this.caller = caller;
        this.startedAt = startedAt;
        this.plan = plan;
        this.period = period;
    }

    /** The name the client asked for, kept for the row only when it can be a model's name (it goes into SQL). */
    void askedFor(String name, Integer version) {
        this.modelName = ModelRefs.isValidName(name) ? name : null;
        this.modelVersion = version;
    }

    /** Whether the call is billed if its answer is {@code status}: a successful infer call, not a replay. */
    boolean billable(int status) {
        return status >= 200 && status < 300 && endpoint == Endpoint.INFER && !replay;
    }

    UsageRecord toRecord(int status, long bytesOut, Instant finishedAt) {
        boolean ok = status >= 200 && status < 300;
        UsageRecord.Billing billing = plan == null ? null : new UsageRecord.Billing(plan.planId(),
                plan.spec().currency(), plan.spec(), plan.spec().priceOf(modelName).orElse(null),
                admission.holder(), admission.charges(),
                caller.budgetMicros() == null ? null : Limits.keyScope(caller.keyId()), caller.budgetMicros(),
                caller.tenantBudgetMicros());
        return new UsageRecord(requestId, caller.tenantId(), caller.keyId(), modelId, modelVersionId, workerId,
                modelName, modelVersion, endpoint.name().toLowerCase(Locale.ROOT), status, billable(status),
                ok ? items : 0, computeUs, bytesIn, bytesOut, device, errorCode(status), startedAt, finishedAt, period,
                billing, idempotent);
    }

    /** The usage row's error code of the call answered {@code status}: null for a success that is not a replay. */
    String errorCode(int status) {
        boolean ok = status >= 200 && status < 300;
        return replay ? "idempotent_replay" : ok ? null : errorCode == null ? "http_" + status : errorCode;
    }

    /** The name of the model the call resolved to; null when it named none its tenant may use. */
    String resolvedModel() {
        return modelId == null ? null : modelName;
    }
}
