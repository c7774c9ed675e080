package io.aiaas.platform.limits.service;

import java.time.LocalDate;
import java.util.Objects;
import java.util.UUID;

/**
 * What a counter's name is made of: its kind ({@code c}, {@code r:k}, {@code r:t}, {@code q:<column>}) and parts;
 * also the key of a model's estimate (kind {@code e}, the model as scope). A class, not a record: a record's
 * equals and hashCode go through method handles, which a profile showed costing as much as the concatenation this
 * cache saves.
 */
final class NameKey {

    private final String kind;
    private final UUID id;
    private final long minute;
    private final LocalDate period;
    private final String scope;
    private final int hash;

    NameKey(String kind, UUID id, long minute, LocalDate period, String scope) {
        this.kind = kind;
        this.id = id;
        this.minute = minute;
        this.period = period;
        this.scope = scope;
        this.hash = ((kind.hashCode() * 31 + id.hashCode()) * 31 + Long.hashCode(minute)) * 31
                + Objects.hashCode(period) * 17 + Objects.hashCode(scope);
    }

    /**
     * The counter's name: {@code c:<tenant>}, {@code r:k:<key>:<minute>}, {@code r:t:<tenant>:<minute>},
     * {@code q:<tenant>:<period>:<column>:<scope>}.
     */
    String counterName() {
        return switch (kind) {
            case "c" -> "c:" + id;
            case "r:k", "r:t" -> kind + ":" + id + ":" + minute;
            default -> "q:" + id + ":" + period + ":" + kind.substring(2) + ":" + scope;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NameKey k && hash == k.hash && minute == k.minute && kind.equals(k.kind)
                && id.equals(k.id) && Objects.equals(period, k.period) && Objects.equals(scope, k.scope);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
