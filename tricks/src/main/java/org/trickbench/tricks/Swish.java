package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.search.Family;
import org.trickbench.core.space.SpaceId;
import org.trickbench.core.space.nb201.Nb201Hook;
import org.trickbench.core.space.nb201.Nb201Ops;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * Swish x·σ(x) (β = 1, i.e. SiLU) in place of every ReLU of the network (Ramachandran, Zoph &amp; Le
 * 2017, arXiv 1710.05941).
 */
public final class Swish implements Trick {
    @Override
    public String id() {
        return "swish";
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.TRAIN);
    }

    @Override
    public Set<Family> families() {
        return Family.ALL;
    }

    @Override
    public String reference() {
        return "Ramachandran, Zoph & Le, Searching for Activation Functions, 2017 (arXiv 1710.05941)";
    }

    @Override
    public Set<SpaceId> spaces() {
        return Nb201Only.SPACES;
    }

    @Override
    public String spacesNote() {
        return Nb201Only.swaps("activation");
    }

    @Override
    public String description() {
        return "Swish/SiLU activation x·sigmoid(x) instead of ReLU";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        resolve(params);
        return new Nb201Hook() {
            @Override
            public Nb201Ops configureNetwork(Nb201Ops ops) {
                return ops.withActivation(
                        () -> new LambdaBlock(x -> new NDList(swish(x.singletonOrThrow())), "Swish"));
            }
        };
    }

    /**
     * x·σ(x). Not DJL's {@code Activation.swish(x, 1)}: that computes σ(x·β) with {@code mul(Number)},
     * whose operand autograd saves but does not keep alive (see {@link org.trickbench.core.nd.Scalars}),
     * so its backward pass read freed memory now and then. With β = 1 the product is x itself.
     */
    static NDArray swish(NDArray x) {
        return Activation.sigmoid(x).mul(x);
    }
}
