package org.trickbench.harness.matrix;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.Canonical;
import org.trickbench.core.space.SpaceId;

/** Loads matrices: a preset by name from the jar, or a YAML file by path. Unknown keys are errors. */
public final class Matrices {
    public static final List<String> PRESETS = List.of("smoke", "darts-smoke", "ci", "darts-ci", "ablation", "factorial", "full", "yang-2020");

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Matrices() {}

    /** A preset name, or a path to a YAML file. */
    public static MatrixDefinition load(String nameOrFile) {
        if (PRESETS.contains(nameOrFile)) {
            String resource = "matrices/" + nameOrFile + ".yaml";
            try (InputStream in = Matrices.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("preset " + resource + " is missing from the jar");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "preset " + nameOrFile);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read preset " + resource, e);
            }
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("--matrix '" + nameOrFile + "' is neither a preset (" + String.join(", ", PRESETS)
                    + ") nor a readable YAML file");
        }
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * A definition as the store keeps it (its canonical JSON, written by {@code bench run}), read back; a
     * definition this version cannot read is a user error naming {@code source}.
     */
    public static MatrixDefinition fromStored(String json, String source) {
        try {
            MatrixDefinition m = Canonical.mapper().readValue(json, MatrixDefinition.class);
            Expansion.expand(m);
            return m;
        } catch (JsonProcessingException | UserInputException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new UserInputException(source + ": this TrickBench cannot read it (" + withoutJavaTypes(firstLine(why))
                    + ")");
        }
    }

    /** Parses YAML text; every error names {@code source}, the line and the field, and no Java type. */
    public static MatrixDefinition parse(String yaml, String source) {
        MatrixDefinition m = read(yaml, source);
        Map<String, Integer> lines = lines(yaml);
        // Algorithm and trick ids and parameters are checked here, entry by entry, so that an error names the
        // entry's line; then the design and the attribution, by expanding the matrix, before any run.
        for (int i = 0; i < m.algorithms().size(); i++) {
            try {
                Expansion.resolved(m.algorithms().get(i), m.space());
            } catch (UserInputException e) {
                throw new UserInputException(at(source, lines, "/algorithms/" + i) + e.getMessage());
            }
        }
        for (int i = 0; i < m.tricks().size(); i++) {
            try {
                Expansion.resolved(m.tricks().get(i), SpaceId.of(m.space()));
            } catch (UserInputException e) {
                throw new UserInputException(at(source, lines, "/tricks/" + i) + e.getMessage());
            }
        }
        try {
            Expansion.expand(m);
        } catch (UserInputException e) {
            throw new UserInputException(at(source, lines, pointerOf(e.getMessage(), "/design")) + e.getMessage());
        }
        return m;
    }

    private static MatrixDefinition read(String yaml, String source) {
        try {
            // Syntax first, on the tree, so a YAML error is reported as one and not as a bad value.
            JsonNode tree = YAML.readTree(yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new UserInputException(source + " line 1: the file is empty");
            }
            if (!tree.isObject()) {
                throw new UserInputException(source + " line " + firstLine(lines(yaml)) + ": a matrix is a mapping of"
                        + " keys (name, datasets, seeds, …), not " + describe(tree.isArray() ? JsonToken.START_ARRAY
                                : JsonToken.VALUE_STRING, tree.asText()));
            }
        } catch (JsonProcessingException e) {
            throw new UserInputException(where(source, e) + "not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
        try {
            return YAML.readValue(yaml, MatrixDefinition.class);
        } catch (UnrecognizedPropertyException e) {
            List<String> known = new ArrayList<>();
            e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            throw new UserInputException(keyLine(yaml, source, e) + "unknown key '" + e.getPropertyName() + "'"
                    + (e.getPath().size() > 1 ? path(e) : "") + "; allowed: " + known.stream().sorted().collect(Collectors.joining(", ")));
        } catch (ValueInstantiationException e) {
            // A record's constructor refused a value: its message starts with the key it is about.
            Throwable cause = e.getCause();
            String message = cause instanceof UserInputException ? cause.getMessage() : withoutJavaTypes(e.getOriginalMessage());
            throw new UserInputException(at(source, lines(yaml), pointerOf(message, pointer(e))) + message);
        } catch (MismatchedInputException e) {
            throw new UserInputException(located(source, yaml, e) + "bad value" + path(e) + ": " + mismatch(e, yaml));
        } catch (JsonMappingException e) {
            throw new UserInputException(located(source, yaml, e) + "bad value" + path(e) + ": "
                    + withoutJavaTypes(firstLine(e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            throw new UserInputException(where(source, e) + "not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
    }

    /**
     * Every node's line, by JSON pointer ({@code /algorithms/1}, {@code /design/type}; the whole mapping is
     * the empty pointer), read from the YAML text so that errors found after parsing can still name a line.
     */
    static Map<String, Integer> lines(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.getFactory().createParser(yaml)) {
            while (p.nextToken() != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (line > 0) {
                    lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), line);
                }
            }
        } catch (IOException e) {
            // Only a file that read() has already parsed gets here; keep the lines found so far.
        }
        return lines;
    }

    /** "source line N: " for the node at the pointer, or the nearest enclosing node that has a line. */
    private static String at(String source, Map<String, Integer> lines, String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return source + " line " + line + ": ";
            }
            if (p.isEmpty()) {
                return source + " line " + firstLine(lines) + ": ";
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    private static int firstLine(Map<String, Integer> lines) {
        return lines.values().stream().min(Integer::compare).orElse(1);
    }

    /**
     * The key a validation message is about, as a pointer: messages start with it ("seeds must …",
     * "design.type '…'", "protocol.momentum …", "final-fidelity: …"). Where the start names no key, the
     * fallback.
     */
    private static String pointerOf(String message, String fallback) {
        Matcher m = LEADING_KEY.matcher(String.valueOf(message));
        if (m.find() && KEYS.contains(m.group(1).split("\\.")[0])) {
            return "/" + m.group(1).replace('.', '/');
        }
        return fallback;
    }

    /** The top-level keys of a matrix file, as validation messages start with them. */
    private static final Set<String> KEYS = Set.of("name", "description", "datasets", "space", "search-fidelity",
            "final-fidelity", "protocol", "seeds", "baseline-size", "algorithms", "tricks", "design", "attribution",
            "batch-runs");
    private static final Pattern LEADING_KEY = Pattern.compile("^([a-z][a-z-]*(?:\\.[a-z][a-z-]*)*)");

    /** The pointer of the value Jackson was reading when it failed. */
    private static String pointer(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            b.append('/').append(r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()));
        }
        return b.toString();
    }

    /** Jackson's line where it has one, else the line of the value it was reading. */
    private static String located(String source, String yaml, JsonMappingException e) {
        JsonLocation loc = e.getLocation();
        return loc != null && loc.getLineNr() >= 1 ? source + " line " + loc.getLineNr() + ": "
                : at(source, lines(yaml), pointer(e));
    }

    /** What was expected and what was found, in the matrix file's words rather than Java's. */
    private static String mismatch(MismatchedInputException e, String yaml) {
        if (e instanceof InvalidFormatException invalid) {
            return "'" + invalid.getValue() + "' is not " + kind(e.getTargetType());
        }
        String expected = "expected " + kind(e.getTargetType());
        JsonNode found;
        try {
            found = YAML.readTree(yaml).at(pointer(e));
        } catch (JsonProcessingException unreadable) {
            return expected;
        }
        if (found.isMissingNode()) {
            return expected;
        }
        JsonToken token = found.isObject() ? JsonToken.START_OBJECT : found.isArray() ? JsonToken.START_ARRAY
                : found.isNull() ? JsonToken.VALUE_NULL : found.isTextual() ? JsonToken.VALUE_STRING
                : JsonToken.VALUE_NUMBER_FLOAT;
        return expected + ", got " + describe(token, found.asText());
    }

    /** A Java type as the matrix file's reader knows it. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        if (type == AlgorithmEntry.class) {
            return "an algorithm: an id such as rea, or {id: rea, params: {evaluations: 100}}";
        }
        if (type == TrickEntry.class) {
            return "a trick: an id such as cutout, or {id: drop-path, params: {prob: 0.2}}";
        }
        if (type == FidelitySpec.class) {
            return "a fidelity: {channels, cells, epochs, train-subset, resolution}";
        }
        if (type == DesignSpec.class) {
            return "a design: {type: one-at-a-time} or another type";
        }
        if (type == ProtocolOverrides.class) {
            return "a mapping of protocol fields, e.g. {batch-size: 256}";
        }
        if (type == MatrixDefinition.class) {
            return "a matrix: a mapping of keys (name, datasets, seeds, …)";
        }
        return "another kind of value";
    }

    private static String describe(JsonToken token, String text) {
        return switch (token) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "'" + text + "'";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> text;
            case VALUE_NULL -> "nothing";
            default -> "'" + text + "'";
        };
    }

    /** Jackson's wording with Java type names (`java.lang.Long`, `org.…Entry`) replaced by the word "value". */
    static String withoutJavaTypes(String message) {
        return JAVA_TYPE.matcher(String.valueOf(message)).replaceAll("value");
    }

    private static final Pattern JAVA_TYPE = Pattern.compile("`?\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:<[^>]*>)?`?");

    /**
     * Jackson reports an unknown key where it stopped reading, which can be a line later; the key's
     * own line is the last line at or before that one where the key is written.
     */
    private static String keyLine(String yaml, String source, UnrecognizedPropertyException e) {
        JsonLocation loc = e.getLocation();
        int upper = loc == null || loc.getLineNr() < 1 ? Integer.MAX_VALUE : loc.getLineNr();
        Pattern key = Pattern.compile("(^|.*[\\s{,-])\"?" + Pattern.quote(e.getPropertyName()) + "\"?\\s*:.*");
        String[] lines = yaml.split("\n", -1);
        for (int i = Math.min(lines.length, upper) - 1; i >= 0; i--) {
            if (key.matcher(lines[i]).matches()) {
                return source + " line " + (i + 1) + ": ";
            }
        }
        return where(source, e);
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    private static String where(String source, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        return loc == null || loc.getLineNr() < 1 ? source + ": " : source + " line " + loc.getLineNr() + ": ";
    }

    private static String path(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "" : " at " + p.replace(".[", "[");
    }
}
