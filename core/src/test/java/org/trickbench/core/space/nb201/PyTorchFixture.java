package org.trickbench.core.space.nb201;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.trickbench.core.train.Protocol;

/**
 * One PyTorch reference fixture (written by {@code scripts/pytorch-fixtures/generate.py}, format 1):
 * NAME.json holds the network's shape, the optimiser settings, the labels, the loss and an index of
 * tensors (name, shape, byte offset); NAME.bin holds the tensors as little-endian float32.
 */
public record PyTorchFixture(String name, JsonNode meta, ByteBuffer data, Map<String, JsonNode> tensors) {
    static final String DIRECTORY = "/pytorch-fixtures/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One network tensor in PyTorch's module order: a parameter or a BatchNorm buffer. */
    public record Entry(String name, String kind, Shape shape, boolean trainable) {}

    /** The fixtures listed in index.json. */
    static List<String> names() {
        return names("index.json");
    }

    /** The fixtures listed in the index file {@code indexFile} (NAS-Bench-201's is index.json). */
    public static List<String> names(String indexFile) {
        JsonNode index = json(indexFile);
        List<String> names = new ArrayList<>();
        index.get("fixtures").forEach(n -> names.add(n.asText()));
        return names;
    }

    public static PyTorchFixture load(String name) {
        JsonNode meta = json(name + ".json");
        if (meta.get("format").asInt() != 1 || !"float32".equals(meta.get("dtype").asText())
                || !"little".equals(meta.get("byteOrder").asText())) {
            throw new IllegalStateException(name + ": not a format-1 little-endian float32 fixture");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes(meta.get("data").asText())).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, JsonNode> tensors = new HashMap<>();
        meta.get("tensors").forEach(t -> tensors.put(t.get("name").asText(), t));
        return new PyTorchFixture(name, meta, data, Map.copyOf(tensors));
    }

    Genotype genotype() {
        return Genotype.parse(meta.get("genotype").asText());
    }

    NetworkConfig config() {
        return new NetworkConfig(meta.get("inChannels").asInt(), meta.get("height").asInt(), meta.get("width").asInt(),
                meta.get("classes").asInt(), meta.get("channels").asInt(), meta.get("cellsPerStage").asInt());
    }

    public int batch() {
        return meta.get("batch").asInt();
    }

    public int steps() {
        return meta.get("steps").asInt();
    }

    public long[] labels() {
        long[] labels = new long[batch()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = meta.get("labels").get(i).asLong();
        }
        return labels;
    }

    public double loss() {
        return meta.get("loss").asDouble();
    }

    /** The learning rate PyTorch used before each step. */
    double[] learningRates() {
        double[] rates = new double[steps()];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = meta.get("learningRates").get(i).asDouble();
        }
        return rates;
    }

    /**
     * The fixture's optimiser settings as a protocol: cosine schedule, one batch per epoch, no crop or
     * flip, no label smoothing.
     */
    Protocol protocol() {
        return new Protocol(meta.get("learningRate").asDouble(), meta.get("minLearningRate").asDouble(),
                meta.get("momentum").asDouble(), meta.get("nesterov").asBoolean(), meta.get("weightDecay").asDouble(),
                batch(), steps(), "cosine", 0, false, 0.0);
    }

    public List<Entry> parameters() {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode p : meta.get("parameters")) {
            entries.add(new Entry(p.get("name").asText(), p.get("kind").asText(), shapeOf(p.get("shape")),
                    p.get("trainable").asBoolean()));
        }
        return entries;
    }

    public Shape shape(String tensor) {
        return shapeOf(entry(tensor).get("shape"));
    }

    public float[] tensor(String tensor) {
        JsonNode entry = entry(tensor);
        float[] values = new float[(int) shapeOf(entry.get("shape")).size()];
        ByteBuffer view = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        view.position(entry.get("offset").asInt());
        view.asFloatBuffer().get(values);
        return values;
    }

    @Override
    public String toString() {
        return name;
    }

    private JsonNode entry(String tensor) {
        JsonNode entry = tensors.get(tensor);
        if (entry == null) {
            throw new IllegalArgumentException(name + " has no tensor '" + tensor + "'");
        }
        return entry;
    }

    private static Shape shapeOf(JsonNode dims) {
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).asLong();
        }
        return new Shape(shape);
    }

    private static JsonNode json(String file) {
        try {
            return JSON.readTree(bytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String file) {
        try (InputStream in = PyTorchFixture.class.getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIRECTORY + file
                        + "; regenerate with the scripts under scripts/pytorch-fixtures/");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
