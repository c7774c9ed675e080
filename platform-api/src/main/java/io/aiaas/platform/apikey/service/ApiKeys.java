package io.aiaas.platform.apikey.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The format of API keys, shared by key creation and the gateway's authenticator: {@code aiaas_} followed by 40
 * random base62 characters (about 238 bits). Only {@link #hash(String)} of a key is ever stored.
 */
public final class ApiKeys {

    public static final String PREFIX = "aiaas_";
    public static final int RANDOM_LENGTH = 40;
    /** Length of the shown prefix: {@code aiaas_} plus the first four random characters. */
    public static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 4;

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A new random key. */
    public static String generate() {
        StringBuilder key = new StringBuilder(PREFIX.length() + RANDOM_LENGTH).append(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return key.toString();
    }

    /** SHA-256 of the key's UTF-8 bytes: the value of api_keys.key_hash. */
    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** True when the string has the shape of a key (cheap check before any hashing or lookup). */
    public static boolean looksLikeKey(String candidate) {
        if (candidate == null || candidate.length() != PREFIX.length() + RANDOM_LENGTH
                || !candidate.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    /** The part of a key shown in lists before the ellipsis. */
    public static String displayPrefix(String key) {
        return key.substring(0, DISPLAY_PREFIX_LENGTH);
    }

    /** The last four characters of a key, shown in lists. */
    public static String lastFour(String key) {
        return key.substring(key.length() - 4);
    }
}
