package org.trickbench.harness.matrix;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
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
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.trickbench.core.UserInputException;

/** Loads matrices: a preset by name from the jar, or a YAML file by path. Unknown keys are errors. */
public final class Matrices {
    public static final List<String> PRESETS = List.of("smoke", "ci", "ablation", "factorial", "full");

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

    /** Parses YAML text; every error names {@code source}, the line and the field. */
    public static MatrixDefinition parse(String yaml, String source) {
        MatrixDefinition m = read(yaml, source);
        try {
            Expansion.expand(m); // algorithm ids and parameters are checked here, before any run
        } catch (UserInputException e) {
            throw new UserInputException(source + ": " + e.getMessage());
        }
        return m;
    }

    private static MatrixDefinition read(String yaml, String source) {
        try {
            // Syntax first, on the tree, so a YAML error is reported as one and not as a bad value.
            JsonNode tree = YAML.readTree(yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new UserInputException(source + ": the file is empty");
            }
            if (!tree.isObject()) {
                throw new UserInputException(source + ": a matrix is a mapping of keys (name, datasets, seeds, …), not a "
                        + tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
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
            Throwable cause = e.getCause();
            String message = cause instanceof UserInputException ? cause.getMessage() : e.getOriginalMessage();
            throw new UserInputException(where(source, e) + message);
        } catch (JsonMappingException e) {
            throw new UserInputException(where(source, e) + "bad value" + path(e) + ": " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new UserInputException(where(source, e) + "not valid YAML: " + e.getOriginalMessage());
        }
    }

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
