package io.aiaas.platform.worker.enrolment.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** The format of enrolment tokens: {@code aiaas_enrol_} and 40 random base62 characters; only their SHA-256 is stored. */
public final class EnrolmentTokens {

    public static final String PREFIX = "aiaas_enrol_";
    private static final int RANDOM_LENGTH = 40;
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private EnrolmentTokens() {
    }

    public static String generate() {
        StringBuilder token = new StringBuilder(PREFIX.length() + RANDOM_LENGTH).append(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            token.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return token.toString();
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
