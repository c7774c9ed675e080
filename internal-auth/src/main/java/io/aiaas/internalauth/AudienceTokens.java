package io.aiaas.internalauth;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Cached tokens for many audiences from one signer: the control plane's tokens to its workers, one audience (the
 * worker's identity id) each. Bounded: past {@link #MAX_AUDIENCES} audiences the cache starts over.
 */
public final class AudienceTokens {

    static final int MAX_AUDIENCES = 4096;

    private final InternalTokens tokens;
    private final Supplier<CachedTokenSource.Signer> signer;
    private final String issuer;
    private final Duration ttl;
    private final Map<String, CachedTokenSource> byAudience = new ConcurrentHashMap<>();

    public AudienceTokens(InternalTokens tokens, Supplier<CachedTokenSource.Signer> signer, String issuer,
            Duration ttl) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /** A token for this audience with at least half its lifetime left. */
    public String token(String audience) {
        Objects.requireNonNull(audience, "audience");
        CachedTokenSource source = byAudience.get(audience);
        if (source == null) {
            if (byAudience.size() >= MAX_AUDIENCES) {
                byAudience.clear();
            }
            source = byAudience.computeIfAbsent(audience,
                    a -> new CachedTokenSource(tokens, signer, issuer, a, ttl));
        }
        return source.token();
    }
}
