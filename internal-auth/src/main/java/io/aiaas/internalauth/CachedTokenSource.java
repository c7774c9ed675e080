package io.aiaas.internalauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Hands out one token for repeated calls to one audience and reissues it when less than half of its lifetime is
 * left, or when the signer (key or subject) changed, e.g. after a key rotation.
 */
public final class CachedTokenSource {

    /** Who signs: the subject the tokens name and the key that signs them. */
    public record Signer(String subject, SigningKey key) {
        public Signer {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(key, "key");
        }
    }

    private final InternalTokens tokens;
    private final Supplier<Signer> signer;
    private final String issuer;
    private final String audience;
    private final Duration ttl;
    private final Clock clock;
    private String token;
    private Signer signedBy;
    private Instant renewAfter = Instant.MIN;

    /**
     * @param signer asked on every call (keep it cheap); it may throw, e.g. while a worker is not enrolled yet, and
     *               the exception reaches the caller of {@link #token()}
     */
    public CachedTokenSource(InternalTokens tokens, Supplier<Signer> signer, String issuer, String audience,
            Duration ttl) {
        this(tokens, signer, issuer, audience, ttl, Clock.systemUTC());
    }

    CachedTokenSource(InternalTokens tokens, Supplier<Signer> signer, String issuer, String audience, Duration ttl,
            Clock clock) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A token with at least half its lifetime left, signed by the current signer. */
    public synchronized String token() {
        Signer current = signer.get();
        Instant now = clock.instant();
        if (token == null || !now.isBefore(renewAfter) || !current.equals(signedBy)) {
            token = tokens.issue(current.key(), issuer, audience, current.subject(), ttl);
            signedBy = current;
            renewAfter = now.plus(ttl.dividedBy(2));
        }
        return token;
    }
}
