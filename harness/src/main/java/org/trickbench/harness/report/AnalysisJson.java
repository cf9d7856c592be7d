package org.trickbench.harness.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * {@code analysis.json}: every number the page shows, for scripts and papers, in the schema that
 * docs/analysis-json.md describes. The first field is {@code schemaVersion}; it changes whenever a field
 * is renamed, removed or changes meaning, so a script can refuse a file it does not know.
 */
public final class AnalysisJson {
    /** The schema version docs/analysis-json.md describes. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule("finite-numbers")
                    .addSerializer(Double.class, new FiniteOrNull())
                    .addSerializer(double.class, new FiniteOrNull()))
            .enable(SerializationFeature.INDENT_OUTPUT);

    private AnalysisJson() {}

    public static String of(ReportData data) {
        ObjectNode root = JSON.createObjectNode().put("schemaVersion", SCHEMA_VERSION);
        root.setAll((ObjectNode) JSON.valueToTree(data));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report's numbers cannot be written as JSON", e);
        }
    }

    /**
     * JSON has no NaN or infinity, and Jackson's default writes them as strings in numeric fields; a
     * number the analysis could not estimate is null instead, so every numeric field is a number or null.
     */
    private static final class FiniteOrNull extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                gen.writeNull();
            } else {
                gen.writeNumber(value);
            }
        }
    }
}
