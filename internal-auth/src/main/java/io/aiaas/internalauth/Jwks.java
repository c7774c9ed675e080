package io.aiaas.internalauth;

import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.Use;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A set of ES256 verification keys by key id (RFC 7517 JWK Set), built on jose4j's JWK support. Only public EC
 * P-256 keys whose point lies on the curve get in; a key id that is not the key's RFC 7638 thumbprint is refused,
 * so one key has one id everywhere.
 */
public final class Jwks implements VerificationKeys {

    private final Map<String, ECPublicKey> keys;

    private Jwks(Map<String, ECPublicKey> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** The set of these keys (duplicates collapse). */
    public static Jwks of(Collection<ECPublicKey> keys) {
        Map<String, ECPublicKey> byId = new LinkedHashMap<>();
        for (ECPublicKey key : keys) {
            byId.put(keyId(check(key)), key);
        }
        return new Jwks(byId);
    }

    /**
     * Parses a JWK Set ({@code {"keys": [...]}}).
     *
     * @throws IllegalArgumentException when it is not a JWK Set or holds a key that is not a public P-256 key
     */
    public static Jwks parse(String json) {
        try {
            return fromJose(new JsonWebKeySet(json).getJsonWebKeys());
        } catch (JoseException | RuntimeException e) {
            throw new IllegalArgumentException("not a JWK Set of EC P-256 public keys: " + safe(e));
        }
    }

    /** Parses a JWK Set given as a map, e.g. a JSON object a caller already decoded. */
    @SuppressWarnings("unchecked")
    public static Jwks fromMap(Map<String, Object> jwks) {
        Object list = jwks == null ? null : jwks.get(JsonWebKeySet.JWK_SET_MEMBER_NAME);
        if (!(list instanceof List<?> entries)) {
            throw new IllegalArgumentException("not a JWK Set: no \"keys\" array");
        }
        Map<String, ECPublicKey> byId = new LinkedHashMap<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> jwk)) {
                throw new IllegalArgumentException("a JWK Set entry is not an object");
            }
            ECPublicKey key = parseJwk((Map<String, Object>) jwk);
            byId.put(keyId(key), key);
        }
        return new Jwks(byId);
    }

    private static Jwks fromJose(List<JsonWebKey> list) {
        Map<String, ECPublicKey> byId = new LinkedHashMap<>();
        for (JsonWebKey jwk : list) {
            ECPublicKey key = parseJwk(jwk.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            byId.put(keyId(key), key);
        }
        return new Jwks(byId);
    }

    /**
     * One public JWK: {@code kty=EC, crv=P-256, x, y}, no private part, on the curve; {@code kid}, when present,
     * must be the key's thumbprint.
     *
     * @throws IllegalArgumentException saying which of these failed
     */
    public static ECPublicKey parseJwk(Map<String, Object> jwk) {
        if (jwk == null) {
            throw new IllegalArgumentException("no JWK");
        }
        if (!EllipticCurveJsonWebKey.KEY_TYPE.equals(jwk.get(JsonWebKey.KEY_TYPE_PARAMETER))) {
            throw new IllegalArgumentException("the JWK is not an EC key (kty must be EC)");
        }
        if (!EllipticCurves.P_256.equals(jwk.get(EllipticCurveJsonWebKey.CURVE_MEMBER_NAME))) {
            throw new IllegalArgumentException("the JWK is not on curve P-256 (crv must be P-256)");
        }
        if (jwk.containsKey(EllipticCurveJsonWebKey.PRIVATE_KEY_MEMBER_NAME)) {
            throw new IllegalArgumentException("the JWK holds a private key (d): send the public key only");
        }
        ECPublicKey key;
        try {
            key = new EllipticCurveJsonWebKey(new LinkedHashMap<>(jwk)).getECPublicKey();
        } catch (JoseException | RuntimeException e) {
            // no library message: it reaches untrusted callers
            throw new IllegalArgumentException("the JWK is not a valid EC public key (x, y: base64url coordinates)");
        }
        check(key);
        Object kid = jwk.get(JsonWebKey.KEY_ID_PARAMETER);
        if (kid != null && !keyId(key).equals(kid)) {
            throw new IllegalArgumentException("the JWK's kid is not its RFC 7638 thumbprint");
        }
        return key;
    }

    /** The public JWK of a key, with its thumbprint as kid, {@code use=sig} and {@code alg=ES256}. */
    public static Map<String, Object> toJwk(ECPublicKey key) {
        EllipticCurveJsonWebKey jwk = new EllipticCurveJsonWebKey(check(key));
        jwk.setKeyId(keyId(key));
        jwk.setUse(Use.SIGNATURE);
        jwk.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /**
     * The public key of a PEM file: {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo, {@code openssl pkey -pubout}) or
     * a PKCS#8 {@code PRIVATE KEY} (its public half is taken), EC P-256 either way.
     *
     * @throws IllegalArgumentException when it is neither, or not a P-256 key
     */
    public static ECPublicKey publicKeyFromPem(String pem) {
        if (pem != null && pem.contains("-----BEGIN PRIVATE KEY-----")) {
            return SigningKey.fromPkcs8Pem(pem).publicKey();
        }
        String begin = "-----BEGIN PUBLIC KEY-----";
        String end = "-----END PUBLIC KEY-----";
        int from = pem == null ? -1 : pem.indexOf(begin);
        int to = pem == null ? -1 : pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("not a PEM public key (" + begin + ") or PKCS#8 private key");
        }
        try {
            byte[] der = java.util.Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
            ECPublicKey key = (ECPublicKey) java.security.KeyFactory.getInstance("EC")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(der));
            return check(key);
        } catch (java.security.GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an EC P-256 public key: " + safe(e));
        }
    }

    /** The RFC 7638 SHA-256 thumbprint of the key, base64url: its key id. */
    public static String keyId(ECPublicKey key) {
        try {
            return new EllipticCurveJsonWebKey(key).calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot compute the key's thumbprint", e);
        }
    }

    static boolean isP256(ECParameterSpec spec) {
        return spec != null && spec.getCurve().equals(EllipticCurves.P256.getCurve())
                && spec.getGenerator().equals(EllipticCurves.P256.getGenerator())
                && spec.getOrder().equals(EllipticCurves.P256.getOrder());
    }

    private static ECPublicKey check(ECPublicKey key) {
        if (!isP256(key.getParams())) {
            throw new IllegalArgumentException("the key is not on curve P-256");
        }
        if (!EcMath.onCurve(key.getW(), EllipticCurves.P256)) {
            throw new IllegalArgumentException("the key's point is not on curve P-256");
        }
        return key;
    }

    @Override
    public Optional<ECPublicKey> find(String keyId) {
        return Optional.ofNullable(keyId == null ? null : keys.get(keyId));
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** {@code {"keys": [jwk, ...]}}, public parts only. */
    public Map<String, Object> toMap() {
        List<Map<String, Object>> list = new ArrayList<>();
        keys.values().forEach(k -> list.add(toJwk(k)));
        Map<String, Object> set = new LinkedHashMap<>();
        set.put(JsonWebKeySet.JWK_SET_MEMBER_NAME, list);
        return set;
    }

    public String toJson() {
        List<JsonWebKey> list = new ArrayList<>();
        for (ECPublicKey key : keys.values()) {
            try {
                list.add(JsonWebKey.Factory.newJwk(toJwk(key)));
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
        return new JsonWebKeySet(list).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    @Override
    public String toString() {
        return "Jwks" + keys.keySet();
    }

    private static String safe(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.substring(0, Math.min(200, message.length()));
    }
}
