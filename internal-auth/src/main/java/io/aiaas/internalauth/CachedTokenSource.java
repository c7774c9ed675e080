package io.aiaas.internalauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Hands out one token for repeated calls and reissues it when less than half of its lifetime is left. */
public final class CachedTokenSource {

    private final InternalTokens tokens;
    private final String issuer;
    private final String audience;
    private final String subject;
    private final Duration ttl;
    private final Clock clock;
    private String token;
    private Instant renewAfter = Instant.MIN;

    public CachedTokenSource(InternalTokens tokens, String issuer, String audience, String subject, Duration ttl) {
        this(tokens, issuer, audience, subject, ttl, Clock.systemUTC());
    }

    CachedTokenSource(InternalTokens tokens, String issuer, String audience, String subject, Duration ttl,
                      Clock clock) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        this.tokens = tokens;
        this.issuer = issuer;
        this.audience = audience;
        this.subject = subject;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A token with at least half its lifetime left. */
    public synchronized String token() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(renewAfter)) {
            token = tokens.issue(issuer, audience, subject, ttl);
            renewAfter = now.plus(ttl.dividedBy(2));
        }
        return token;
    }
}
