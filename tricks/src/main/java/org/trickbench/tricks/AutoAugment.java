package org.trickbench.tricks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.trickbench.core.param.ParameterSpec;
import org.trickbench.core.search.Family;
import org.trickbench.core.train.StepContext;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;
import org.trickbench.core.trick.Phase;
import org.trickbench.core.trick.Trick;

/**
 * AutoAugment with the CIFAR-10 policy (Cubuk, Zoph, Mané, Vasudevan &amp; Le, CVPR 2019, arXiv
 * 1805.09501, appendix table): each training image draws one of 25 sub-policies; each of its two
 * operations is applied with its probability at its magnitude level 0..9. Magnitudes follow the
 * authors' CIFAR code: level/10 of shear 0.3, translation 10 px (at 32 px, scaled with the side),
 * rotation 30° (whole degrees), enhancement factor 0.1 + 1.8·level/10, solarize threshold
 * 256 − ⌊25.6·level⌋; geometric operations flip sign with probability ½. Posterize keeps
 * 8 − ⌊0.4·level⌋ bits, the paper's [4, 8] range (the released code's 4 − ⌊0.4·level⌋ bits is a known
 * slip, fixed there as {@code fixed_posterize}). Pixels brought in from outside are mid-grey, where
 * the released code uses the data set's mean colour, which this hook does not see.
 *
 * <p>Batched on the device: every operation runs on the whole batch with per-image parameters and a
 * mask picks each image's result; the choices come from the seeded engine.
 */
public final class AutoAugment implements Trick {
    /** The operations, in the policy table's vocabulary. */
    enum Op {
        SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y, ROTATE, AUTO_CONTRAST, INVERT, EQUALIZE, SOLARIZE,
        POSTERIZE, CONTRAST, COLOR, BRIGHTNESS, SHARPNESS
    }

    /** One sub-policy: two operations, each with a probability and a magnitude level. */
    record SubPolicy(Op first, double p1, int level1, Op second, double p2, int level2) {}

    /** The CIFAR-10 policy of the paper's appendix (levels of parameter-free operations are unused). */
    static final List<SubPolicy> CIFAR10 = List.of(
            new SubPolicy(Op.INVERT, 0.1, 7, Op.CONTRAST, 0.2, 6),
            new SubPolicy(Op.ROTATE, 0.7, 2, Op.TRANSLATE_X, 0.3, 9),
            new SubPolicy(Op.SHARPNESS, 0.8, 1, Op.SHARPNESS, 0.9, 3),
            new SubPolicy(Op.SHEAR_Y, 0.5, 8, Op.TRANSLATE_Y, 0.7, 9),
            new SubPolicy(Op.AUTO_CONTRAST, 0.5, 8, Op.EQUALIZE, 0.9, 2),
            new SubPolicy(Op.SHEAR_Y, 0.2, 7, Op.POSTERIZE, 0.3, 7),
            new SubPolicy(Op.COLOR, 0.4, 3, Op.BRIGHTNESS, 0.6, 7),
            new SubPolicy(Op.SHARPNESS, 0.3, 9, Op.BRIGHTNESS, 0.7, 9),
            new SubPolicy(Op.EQUALIZE, 0.6, 5, Op.EQUALIZE, 0.5, 1),
            new SubPolicy(Op.CONTRAST, 0.6, 7, Op.SHARPNESS, 0.6, 5),
            new SubPolicy(Op.COLOR, 0.7, 7, Op.TRANSLATE_X, 0.5, 8),
            new SubPolicy(Op.EQUALIZE, 0.3, 7, Op.AUTO_CONTRAST, 0.4, 8),
            new SubPolicy(Op.TRANSLATE_Y, 0.4, 3, Op.SHARPNESS, 0.2, 6),
            new SubPolicy(Op.BRIGHTNESS, 0.9, 6, Op.COLOR, 0.2, 8),
            new SubPolicy(Op.SOLARIZE, 0.5, 2, Op.INVERT, 0.0, 3),
            new SubPolicy(Op.EQUALIZE, 0.2, 0, Op.AUTO_CONTRAST, 0.6, 0),
            new SubPolicy(Op.EQUALIZE, 0.2, 8, Op.EQUALIZE, 0.6, 4),
            new SubPolicy(Op.COLOR, 0.9, 9, Op.EQUALIZE, 0.6, 6),
            new SubPolicy(Op.AUTO_CONTRAST, 0.8, 4, Op.SOLARIZE, 0.2, 8),
            new SubPolicy(Op.BRIGHTNESS, 0.1, 3, Op.COLOR, 0.7, 0),
            new SubPolicy(Op.SOLARIZE, 0.4, 5, Op.AUTO_CONTRAST, 0.9, 3),
            new SubPolicy(Op.TRANSLATE_Y, 0.9, 9, Op.TRANSLATE_Y, 0.7, 9),
            new SubPolicy(Op.AUTO_CONTRAST, 0.9, 2, Op.SOLARIZE, 0.8, 3),
            new SubPolicy(Op.EQUALIZE, 0.8, 8, Op.INVERT, 0.1, 3),
            new SubPolicy(Op.TRANSLATE_Y, 0.7, 9, Op.AUTO_CONTRAST, 0.9, 1));

    @Override
    public String id() {
        return "autoaugment";
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
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.choice("policy", "cifar10", List.of("cifar10"),
                "the learned policy; cifar10 (the paper's 25 sub-policies) is the one implemented"));
    }

    @Override
    public String reference() {
        return "Cubuk, Zoph, Mané, Vasudevan & Le, AutoAugment: Learning Augmentation Strategies from Data,"
                + " CVPR 2019 (arXiv 1805.09501)";
    }

    @Override
    public String description() {
        return "one of the 25 learned CIFAR-10 sub-policies per training image (two operations each)";
    }

    @Override
    public TrainingHook hook(Map<String, Object> params) {
        resolve(params);
        return new WeightTrainingHook() {
            @Override
            public NDArray transformImages(NDArray images, StepContext step) {
                NDArray[] draws = step.onEngine("autoaugment", () -> draw(images, CIFAR10.size()));
                return apply(images, CIFAR10, draws);
            }
        };
    }

    /** Images in [0, 1], each transformed by a sub-policy drawn uniformly from {@code policy}. */
    static NDArray apply(NDArray images, List<SubPolicy> policy) {
        return apply(images, policy, draw(images, policy.size()));
    }

    /**
     * The batch's random choices, drawn together: each image's sub-policy, then for each of the two
     * slots a U(0, 1) (does the operation apply?) and a sign (±, as 0 or 1) per image.
     */
    private static NDArray[] draw(NDArray images, int policies) {
        NDManager m = images.getManager();
        Shape b = new Shape(images.getShape().get(0));
        NDArray[] draws = new NDArray[5];
        draws[0] = device(m.randomInteger(0, policies, b, DataType.INT64), images);
        for (int slot = 0; slot < 2; slot++) {
            draws[1 + 2 * slot] = device(m.randomUniform(0, 1, b), images);
            draws[2 + 2 * slot] = device(m.randomInteger(0, 2, b, DataType.INT64), images);
        }
        return draws;
    }

    private static NDArray apply(NDArray images, List<SubPolicy> policy, NDArray[] draws) {
        NDManager m = images.getManager();
        NDArray chosen = draws[0];
        NDArray v = images.mul(255f).round();
        for (int slot = 0; slot < 2; slot++) {
            float[] ops = new float[policy.size()];
            float[] probs = new float[policy.size()];
            float[] levels = new float[policy.size()];
            for (int k = 0; k < policy.size(); k++) {
                SubPolicy sp = policy.get(k);
                ops[k] = (slot == 0 ? sp.first() : sp.second()).ordinal();
                probs[k] = (float) (slot == 0 ? sp.p1() : sp.p2());
                levels[k] = slot == 0 ? sp.level1() : sp.level2();
            }
            NDArray op = device(m.create(ops), images).get(chosen);
            NDArray applied = draws[1 + 2 * slot].lt(device(m.create(probs), images).get(chosen));
            NDArray level = device(m.create(levels), images).get(chosen);
            NDArray sign = draws[2 + 2 * slot].toType(DataType.FLOAT32, false).mul(2f).sub(1f);
            v = applyOne(v, op.mul(applied.toType(DataType.FLOAT32, false)).add(
                    applied.logicalNot().toType(DataType.FLOAT32, false).mul(-1f)), level, sign);
        }
        return v.div(255f);
    }

    /**
     * Each image's operation {@code op} (an {@link Op} ordinal, or −1 for none) at its level; geometric
     * ones with the given sign.
     */
    static NDArray applyOne(NDArray v, NDArray op, NDArray level, NDArray sign) {
        long side = v.getShape().get(3);
        long height = v.getShape().get(2);
        NDArray one = level.onesLike();
        NDArray zero = level.zerosLike();
        NDArray a = one;
        NDArray b = zero;
        NDArray c = zero;
        NDArray d = zero;
        NDArray e = one;
        NDArray f = zero;
        NDArray shear = level.mul(0.03f).mul(sign);
        b = AutoAugmentOps.select(is(op, Op.SHEAR_X), shear, b);
        d = AutoAugmentOps.select(is(op, Op.SHEAR_Y), shear, d);
        NDArray shift = level.mul(side / 32f).round().mul(sign);
        c = AutoAugmentOps.select(is(op, Op.TRANSLATE_X), shift, c);
        f = AutoAugmentOps.select(is(op, Op.TRANSLATE_Y), level.mul(height / 32f).round().mul(sign), f);
        // PIL's rotate(θ), counter-clockwise about the centre, as its inverse map with angle −θ.
        NDArray radians = level.mul(3f).floor().mul(sign).mul((float) (-Math.PI / 180));
        NDArray cos = radians.cos();
        NDArray sin = radians.sin();
        float cx = side / 2f;
        float cy = height / 2f;
        NDArray rotate = is(op, Op.ROTATE);
        a = AutoAugmentOps.select(rotate, cos, a);
        b = AutoAugmentOps.select(rotate, sin, b);
        d = AutoAugmentOps.select(rotate, sin.neg(), d);
        e = AutoAugmentOps.select(rotate, cos, e);
        c = AutoAugmentOps.select(rotate, cos.mul(-cx).sub(sin.mul(cy)).add(cx), c);
        f = AutoAugmentOps.select(rotate, sin.mul(cx).sub(cos.mul(cy)).add(cy), f);
        NDArray out = AutoAugmentOps.affine(v, a, b, c, d, e, f);

        NDArray factor = level.mul(0.18f).add(0.1f);
        out = pick(out, op, Op.AUTO_CONTRAST, AutoAugmentOps.autoContrast(v));
        out = pick(out, op, Op.INVERT, AutoAugmentOps.invert(v));
        out = pick(out, op, Op.EQUALIZE, AutoAugmentOps.equalize(v));
        out = pick(out, op, Op.SOLARIZE, AutoAugmentOps.solarize(v, level.mul(25.6f).floor().neg().add(256f)));
        out = pick(out, op, Op.POSTERIZE, AutoAugmentOps.posterize(v, level.mul(0.4f).floor().neg().add(8f)));
        out = pick(out, op, Op.CONTRAST, AutoAugmentOps.contrast(v, factor));
        out = pick(out, op, Op.COLOR, AutoAugmentOps.color(v, factor));
        out = pick(out, op, Op.BRIGHTNESS, AutoAugmentOps.brightness(v, factor));
        return pick(out, op, Op.SHARPNESS, AutoAugmentOps.sharpness(v, factor));
    }

    private static NDArray is(NDArray op, Op which) {
        return op.eq((float) which.ordinal());
    }

    private static NDArray pick(NDArray current, NDArray op, Op which, NDArray result) {
        return AutoAugmentOps.select(AutoAugmentOps.perImage(is(op, which)), result, current);
    }

    private static NDArray device(NDArray a, NDArray like) {
        return a.toDevice(like.getDevice(), false);
    }
}
