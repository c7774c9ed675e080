package io.aiaas.platform.audit;

/** Who did something recorded in the audit log (values of audit_log.actor_kind). */
public enum ActorKind {
    USER, API_KEY, WORKER, SYSTEM
}
