package org.trickbench.core.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Canonical JSON (properties and map keys sorted, no whitespace) and its SHA-256: the identity of
 * run specs and evaluations. Two specs that mean the same thing hash the same, whatever order their
 * source file listed things in.
 */
public final class Canonical {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Canonical() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    public static String hash(Object value) {
        return sha256(json(value));
    }

    /** The first ten hex digits of an id (a run's, an evaluation's), as logs and reports print it; "" for none. */
    public static String shortId(String id) {
        return id == null ? "" : id.substring(0, Math.min(SHORT_ID_LENGTH, id.length()));
    }

    private static final int SHORT_ID_LENGTH = 10;
}
