package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.trickbench.core.search.Family;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.Architecture;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Supernet;
import org.trickbench.core.space.nb201.NetworkConfig;
import org.trickbench.core.train.Batch;
import org.trickbench.core.train.SupernetSession;
import org.trickbench.core.train.TorchDefaultInitializer;

/**
 * A session over a real, tiny, untrained supernet whose measurements are planted: accuracies come from
 * functions the test gives, training runs a callback, batches are fixed random images. Snapshots and
 * forward passes are real.
 */
class PlantedSession implements SupernetSession {
    /** C=2, N=1 on 1×8×8 images with 2 classes. */
    static final NetworkConfig TINY = new NetworkConfig(1, 8, 8, 2, 2, 1);

    final NDManager manager;
    final Nb201Supernet net;
    final List<NDArray> batches = new ArrayList<>();
    ToDoubleFunction<Nb201Supernet> mixed = n -> 0;
    ToDoubleFunction<Genotype> scores = g -> 0;
    Training training = (epochs, architecture) -> {};
    Family family = Family.GRADIENT;

    /** What {@link #train} does. */
    interface Training {
        void train(int epochs, boolean architecture);
    }

    PlantedSession(NDManager manager, int batchCount) {
        this.manager = manager;
        new Seeds(3).seedEngine("planted-session");
        net = Nb201Supernet.standard(TINY);
        net.setInitializer(new TorchDefaultInitializer(), Parameter.Type.WEIGHT);
        net.initialize(manager, DataType.FLOAT32, new Shape(4, 1, 8, 8));
        for (int i = 0; i < batchCount; i++) {
            batches.add(manager.randomNormal(0.5f, 2f, new Shape(6, 1, 8, 8), DataType.FLOAT32));
        }
    }

    @Override
    public Nb201Supernet supernet() {
        return net;
    }

    @Override
    public Family family() {
        return family;
    }

    @Override
    public Seeds seeds() {
        return new Seeds(5);
    }

    @Override
    public double mixedAccuracy() {
        return mixed.applyAsDouble(net);
    }

    @Override
    public double score(Architecture candidate) {
        return scores.applyAsDouble(Genotype.from(candidate));
    }

    @Override
    public void train(int epochs, boolean architecture) {
        training.train(epochs, architecture);
    }

    @Override
    public int trainingBatches() {
        return batches.size();
    }

    @Override
    public Batch trainingBatch(int i) {
        NDArray labels = manager.zeros(new Shape(6), DataType.INT64);
        return new Batch(batches.get(i), labels.oneHot(2), labels);
    }

    @Override
    public NDArray forward(NDArray images, boolean training) {
        return net.forward(new ParameterStore(manager, false), new NDList(images), training).singletonOrThrow();
    }

    /** Every parameter of the supernet, copied to the host, in parameter order. */
    List<float[]> parameterValues() {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    @Override
    public Snapshot snapshot() {
        List<NDArray> copies = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            copies.add(p.getValue().getArray().duplicate());
        }
        return new Snapshot() {
            @Override
            public void restore() {
                int i = 0;
                for (Pair<String, Parameter> p : net.getParameters()) {
                    p.getValue().getArray().muli(0).addi(copies.get(i++));
                }
            }

            @Override
            public void close() {
                copies.forEach(NDArray::close);
            }
        };
    }
}
