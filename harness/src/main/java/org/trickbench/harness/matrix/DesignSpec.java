package org.trickbench.harness.matrix;

import java.util.List;
import org.trickbench.core.UserInputException;
import org.trickbench.harness.design.Design;
import org.trickbench.harness.design.Designs;

/**
 * The {@code design:} section: how the listed tricks are crossed. {@code fraction} is p of a 2^(k−p)
 * fractional factorial; {@code rows} lists, for an explicit design, the tricks on in each row.
 */
public record DesignSpec(String type, Integer fraction, List<List<String>> rows) {

    public DesignSpec {
        if (type == null || !Designs.TYPES.contains(type)) {
            throw new UserInputException("design.type '" + type + "' is not known; allowed: " + String.join(", ", Designs.TYPES));
        }
        if (fraction != null && !type.equals("fractional-factorial")) {
            throw new UserInputException("design.fraction only applies to type fractional-factorial, not " + type);
        }
        if (type.equals("fractional-factorial") && (fraction == null || fraction < 1)) {
            throw new UserInputException("design.fraction is required for fractional-factorial: p of 2^(k-p), at least 1;"
                    + " available (k/p): " + String.join(", ", Designs.availableFractions()));
        }
        if (rows != null && !type.equals("explicit")) {
            throw new UserInputException("design.rows only applies to type explicit, not " + type);
        }
        if (type.equals("explicit") && rows == null) {
            throw new UserInputException("design.rows is required for type explicit: a list of rows, each a list of trick ids");
        }
        rows = rows == null ? null : rows.stream().map(r -> r == null ? List.<String>of() : List.copyOf(r)).toList();
    }

    public static DesignSpec defaultFor(List<TrickEntry> tricks) {
        return new DesignSpec(tricks.isEmpty() ? "baseline" : "one-at-a-time", null, null);
    }

    public Design build(List<String> factors) {
        return switch (type) {
            case "baseline" -> Designs.baseline(factors);
            case "one-at-a-time" -> Designs.oneAtATime(factors);
            case "leave-one-out" -> Designs.leaveOneOut(factors);
            case "ablation" -> Designs.ablation(factors);
            case "full-factorial" -> Designs.fullFactorial(factors);
            case "fractional-factorial" -> Designs.fractionalFactorial(factors, fraction);
            case "explicit" -> Designs.explicit(factors, rows);
            default -> throw new IllegalStateException(type);
        };
    }
}
