package io.aiaas.platform.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.Jwks;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.internalauth.VerifiedToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A worker identity enrolled through the real {@code POST /internal/v1/enrolments} with the test profile's bootstrap
 * token: its own key pair, its identity id, the control plane's keys; it mints the tokens a worker sends and checks
 * the ones the control plane sends it, as a real worker does.
 */
public final class EnrolledWorker {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final InternalTokens TOKENS = new InternalTokens();

    private final UUID id;
    private final SigningKey key;
    private final Jwks controlPlaneKeys;

    private EnrolledWorker(UUID id, SigningKey key, Jwks controlPlaneKeys) {
        this.id = id;
        this.key = key;
        this.controlPlaneKeys = controlPlaneKeys;
    }

    /** The test profile's bootstrap enrolment token. */
    public static String bootstrapToken() {
        return ConfigProvider.getConfig().getValue("aiaas.workers.enrolment.bootstrap-token", String.class);
    }

    /** Enrols a new identity with the application under test. */
    public static EnrolledWorker enrol() {
        return enrol("http://localhost:" + io.restassured.RestAssured.port, "test-worker");
    }

    public static EnrolledWorker enrol(String platformUrl, String name) {
        SigningKey key = SigningKey.generate();
        JsonNode answer = enrolWith(platformUrl, bootstrapToken(), name, key, 201);
        return new EnrolledWorker(UUID.fromString(answer.get("identity_id").asText()), key,
                Jwks.parse(answer.get("jwks").toString()));
    }

    /** Posts an enrolment and returns the answer's body, failing unless the status is {@code expected}. */
    public static JsonNode enrolWith(String platformUrl, String token, String name, SigningKey key, int expected) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(platformUrl + "/internal/v1/enrolments"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("token", token,
                            "name", name, "public_key", key.publicJwk()))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException("enrolment answered " + response.statusCode() + ", expected "
                        + expected + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The identity id: also the id of this worker's row once it registers. */
    public UUID id() {
        return id;
    }

    public SigningKey key() {
        return key;
    }

    public Jwks controlPlaneKeys() {
        return controlPlaneKeys;
    }

    /** A token this worker sends to the control plane. */
    public String token() {
        return TOKENS.issue(key, Issuers.WORKER, Audiences.CONTROL_PLANE, id.toString(), Duration.ofSeconds(60));
    }

    /** A token signed with this worker's key that claims to be {@code subject}. */
    public String tokenClaiming(String subject) {
        return TOKENS.issue(key, Issuers.WORKER, Audiences.CONTROL_PLANE, subject, Duration.ofSeconds(60));
    }

    /** Checks a token the control plane sent to this worker (audience = this identity), as a real worker does. */
    public VerifiedToken verifyControlPlaneToken(String token) {
        return TOKENS.verify(token, controlPlaneKeys, id.toString(), Issuers.PLATFORM);
    }
}
