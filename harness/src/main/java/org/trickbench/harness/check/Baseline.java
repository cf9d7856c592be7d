package org.trickbench.harness.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.trickbench.core.UserInputException;

/**
 * A committed regression baseline: per configuration of a matrix, the final accuracy of every seed,
 * with the code version and environment that produced them.
 */
public record Baseline(String matrix, String codeVersion, Map<String, String> environment, String createdAt,
        List<Configuration> configurations) {

    /** One configuration (algorithm, tricks, data set) and its per-seed accuracies and mean epoch time. */
    public record Configuration(String key, String algorithm, List<String> tricks, String dataset,
            Map<String, Double> accuracyBySeed, Double secondsPerEpoch) {
        public Configuration {
            tricks = List.copyOf(tricks);
            accuracyBySeed = new TreeMap<>(accuracyBySeed);
        }
    }

    public Baseline {
        environment = new TreeMap<>(environment);
        configurations = List.copyOf(configurations);
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static Baseline read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("--baseline " + file + ": no such file; create one with"
                    + " `bench check --matrix NAME --baseline " + file + " --update-baseline`");
        }
        try {
            Baseline b = JSON.readValue(file.toFile(), Baseline.class);
            if (b == null || b.matrix() == null || b.configurations() == null) {
                throw new UserInputException("--baseline " + file + ": not a TrickBench baseline (needs matrix and configurations)");
            }
            return b;
        } catch (JsonProcessingException e) {
            throw new UserInputException("--baseline " + file + ": not a TrickBench baseline: " + e.getOriginalMessage()
                    .lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UserInputException("--baseline " + file + ": cannot read: " + e.getMessage());
        }
    }

    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, JSON.writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UserInputException("--baseline " + file + ": cannot write: " + e.getMessage());
        }
    }
}
