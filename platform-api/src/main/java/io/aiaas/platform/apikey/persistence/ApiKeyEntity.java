package io.aiaas.platform.apikey.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code api_keys}; the key itself is never stored, only its SHA-256. Written with only the columns a change
 * changed ({@link DynamicUpdate}): the gateway's touch ({@code last_used_at}, {@code last_used_from}) and the expiry
 * notices write the row with plain SQL, and a whole-row update would put back what the change had read.
 */
@Entity
@DynamicUpdate
@Table(name = "api_keys")
public class ApiKeyEntity {
    @Id
    public UUID id;
    @Column(name = "tenant_id")
    public UUID tenantId;
    public String name;
    public String prefix;
    @Column(name = "last_four")
    public String lastFour;
    @Column(name = "key_hash")
    public byte[] keyHash;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    @Column(name = "last_used_at")
    public Instant lastUsedAt;
    /** The client address of a call in the minute it was last used (null: never, or unknown). */
    @Column(name = "last_used_from")
    public String lastUsedFrom;
    /** Since when the key is disabled (its calls refused until it is enabled again); null: enabled. */
    @Column(name = "disabled_at")
    public Instant disabledAt;
    /** When the tenant was told the key expires, or knew it (it chose the expiry inside the notice window). */
    @Column(name = "expiry_notice_at")
    public Instant expiryNoticeAt;
    /** The most the key may spend in a billing period, micro-units of the plan's currency; null = no cap. */
    @Column(name = "monthly_budget_micros")
    public Long monthlyBudgetMicros;
    /** The most calls the key may make in a clock minute (the plan's per-key limit still applies); null = none. */
    @Column(name = "requests_per_minute")
    public Integer requestsPerMinute;
    /** The models the key may call, sorted; null = every model its tenant may call. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] models;
    /** The client networks the key may be used from, canonical CIDR; null = anywhere. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "allowed_networks")
    public String[] allowedNetworks;
}
