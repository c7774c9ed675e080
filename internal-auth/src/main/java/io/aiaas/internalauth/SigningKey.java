package io.aiaas.internalauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.jose4j.keys.EllipticCurves;

/**
 * An EC P-256 key pair that signs internal tokens (ES256), with its key id: the RFC 7638 thumbprint of its public
 * JWK, so the same key has the same id in every process and file.
 */
public record SigningKey(String keyId, ECPrivateKey privateKey, ECPublicKey publicKey) {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    public SigningKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** A fresh P-256 key pair from the platform's default SecureRandom. */
    public static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return of((ECPrivateKey) pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    /** The key pair of a P-256 private key: the public point is computed from it. */
    public static SigningKey of(ECPrivateKey privateKey) {
        if (!Jwks.isP256(privateKey.getParams())) {
            throw new IllegalArgumentException("the key is not on curve P-256");
        }
        try {
            ECPublicKey publicKey = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    EcMath.multiplyGenerator(privateKey.getS(), EllipticCurves.P256), EllipticCurves.P256));
            return new SigningKey(Jwks.keyId(publicKey), privateKey, publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the public key", e);
        }
    }

    /**
     * Reads a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) EC P-256 private key, as written by
     * {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256} or {@link #toPkcs8Pem()}.
     *
     * @throws IllegalArgumentException with a message that says what is wrong (never the key itself)
     */
    public static SigningKey fromPkcs8Pem(String pem) {
        if (pem == null) {
            throw new IllegalArgumentException("no PEM text");
        }
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a PKCS#8 PEM private key (expected " + BEGIN + "; an"
                    + " 'EC PRIVATE KEY' file converts with: openssl pkcs8 -topk8 -nocrypt -in key.pem)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end)
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM body is not Base64");
        }
        try {
            return of((ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an EC private key in PKCS#8 form");
        }
    }

    /** The private key as PKCS#8 PEM, for a file of mode 600 or a database row. */
    public String toPkcs8Pem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(privateKey.getEncoded());
        return BEGIN + "\n" + body + "\n" + END + "\n";
    }

    /** The public half as a JWK ({@code kty, crv, x, y, kid, use=sig, alg=ES256}). */
    public Map<String, Object> publicJwk() {
        return Jwks.toJwk(publicKey);
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + "]"; // never the private key
    }
}
