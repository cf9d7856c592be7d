package org.trickbench.core.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.trickbench.core.space.Architecture;

/**
 * What a search returns: the architecture (of the run's space), its proxy score (NaN when the algorithm scores nothing, as the
 * random baseline), the search cost in wall and device seconds, the anytime trajectory, the budget it
 * spent, and per-epoch metrics.
 *
 * @param genotype the architecture found, as its space's own type (NAS-Bench-201's {@code Genotype}, a
 *     {@code DartsGenotype}); its canonical string is what the store keeps
 * @param trajectory the score of what the search would have returned had it stopped at each point: one
 *     point per distinct evaluation for black-box and one-shot searches (the best so far), one per epoch
 *     for gradient searches (the score of that epoch's argmax)
 * @param budget epochs and evaluations spent, and what ended the search
 * @param epochs a supernet search's per-epoch metrics by name, epoch i at index i, as the store keeps
 *     them (e.g. {@code train_loss}, {@code alpha_entropy}, {@code tau}); empty for black-box searches
 */
public record SearchResult(Architecture genotype, double proxyScore, double wallSeconds, double deviceSeconds,
        List<Double> trajectory, BudgetUse budget, List<Map<String, Double>> epochs) {
    public SearchResult {
        Objects.requireNonNull(genotype, "genotype");
        trajectory = List.copyOf(trajectory);
        Objects.requireNonNull(budget, "budget");
        List<Map<String, Double>> copies = new ArrayList<>(epochs.size());
        for (Map<String, Double> epoch : epochs) {
            copies.add(Collections.unmodifiableMap(new LinkedHashMap<>(epoch)));
        }
        epochs = Collections.unmodifiableList(copies);
    }
}
