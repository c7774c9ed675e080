package io.aiaas.platform.worker.auth;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Issuers;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The internal secret is checked at start, and tokens go the right way round (no Quarkus needed). */
class InternalAuthTest {

    static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!!";

    static InternalAuthConfig config(String secret) {
        return new InternalAuthConfig() {
            @Override
            public Optional<String> secret() {
                return Optional.ofNullable(secret);
            }

            @Override
            public Duration tokenTtl() {
                return Duration.ofSeconds(60);
            }
        };
    }

    @Test
    void missingSecretStopsTheStartWithAMessageNamingTheVariable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new InternalAuth(config(null)));
        assertThat(e.getMessage(), containsString("AIAAS_INTERNAL_AUTH_SECRET"));
        assertThrows(IllegalStateException.class, () -> new InternalAuth(config("   ")));
    }

    @Test
    void shortSecretStopsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new InternalAuth(config("only-31-bytes-long-secret-xxxxx")));
        assertThat(e.getMessage(), containsString("shorter than 32 bytes"));
    }

    @Test
    void workerTokensAreForWorkersAndOnlyWorkerIssuedTokensAreAccepted() {
        InternalAuth auth = new InternalAuth(config(SECRET));
        InternalTokens tokens = new InternalTokens(SECRET);
        assertThat(tokens.verify(auth.workerToken(), Audiences.WORKER, Issuers.PLATFORM).subject(),
                equalTo("platform-api"));
        // a token this process sends to workers must not open the control plane's internal API
        assertThrows(InvalidTokenException.class, () -> auth.verifyWorkerToken(auth.workerToken()));
        String fromWorker = tokens.issue(Issuers.WORKER, Audiences.CONTROL_PLANE, "w1", Duration.ofSeconds(30));
        assertThat(auth.verifyWorkerToken(fromWorker).subject(), equalTo("w1"));
    }
}
