package io.aiaas.platform.model.service;

/**
 * CDI event fired inside a transaction that changes which versions can be called (an upload, a retirement, a new
 * example); other replicas learn it through PostgreSQL {@code NOTIFY} on {@link #CHANNEL}.
 */
public record ModelsChanged(String model) {
    public static final String CHANNEL = "aiaas_models_changed";
}
