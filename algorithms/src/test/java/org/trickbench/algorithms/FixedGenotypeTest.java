package org.trickbench.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.trickbench.core.UserInputException;
import org.trickbench.core.run.AlgorithmSetting;
import org.trickbench.core.run.RunSpec;
import org.trickbench.core.search.SearchContext;
import org.trickbench.core.search.SearchResult;
import org.trickbench.core.seed.Seeds;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.train.Fidelity;
import org.trickbench.core.train.Protocol;

class FixedGenotypeTest {
    private static AlgorithmSetting fixed(Object genotype) {
        return new AlgorithmSetting("fixed", genotype == null ? Map.of() : Map.of("genotype", genotype));
    }

    private static SearchResult search(String genotype, long seed) {
        Fidelity f = new Fidelity(8, 1, 2, 2000, 16);
        RunSpec spec = new RunSpec("fashion-mnist", "nb201", fixed(genotype), List.of(), f, f, Protocol.nasBench201(), seed);
        return new FixedGenotype().search(SearchContext.of(spec, new Seeds(seed), null));
    }

    @Test
    void namedReferencesAreThePublishedCells() {
        assertEquals(Genotype.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"),
                search("nb201-best", 0).genotype());
        assertEquals(Genotype.parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|"),
                search("resnet", 0).genotype());
        Genotype collapse = Genotype.from(search("darts-collapse", 0).genotype());
        for (int edge = 0; edge < 6; edge++) {
            assertEquals("skip_connect", collapse.op(edge).id(), "DARTS's collapse: skip connections everywhere");
        }
        assertEquals(List.of("nb201-best", "resnet", "darts-collapse"), List.copyOf(FixedGenotype.REFERENCES.keySet()));
    }

    @Test
    void aGenotypeStringIsTrainedAsGivenWhateverTheSeedAndAtNoSearchCost() {
        String cell = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_3x3~0|none~1|skip_connect~2|";
        SearchResult r = search(cell, 1);
        assertEquals(Genotype.parse(cell), r.genotype());
        assertEquals(r.genotype(), search(cell, 2).genotype());
        assertEquals(0, r.wallSeconds());
        assertTrue(Double.isNaN(r.proxyScore()), "a reference is not scored");
    }

    @Test
    void isRegisteredAsAnAlgorithmThatDoesNotSearch() {
        assertFalse(Algorithms.byId("fixed").searches());
        assertFalse(Algorithms.byId("random").searches());
        assertTrue(Algorithms.byId("rea").searches());
    }

    @Test
    void aMissingUnknownOrMalformedGenotypeIsRefusedWithTheFix() {
        FixedGenotype f = new FixedGenotype();
        f.validate(fixed("resnet"));
        UserInputException missing = assertThrows(UserInputException.class, () -> f.validate(fixed(null)));
        assertTrue(missing.getMessage().contains("needs parameter 'genotype'"), missing.getMessage());
        assertTrue(missing.getMessage().contains("nb201-best, resnet, darts-collapse"), missing.getMessage());
        UserInputException unknown = assertThrows(UserInputException.class, () -> f.validate(fixed("resnet-50")));
        assertTrue(unknown.getMessage().contains("'resnet-50' is neither a genotype string of space nb201"),
                unknown.getMessage());
        UserInputException malformed = assertThrows(UserInputException.class,
                () -> f.validate(fixed("|nor_conv_3x3~0|+|none~0|")));
        assertTrue(malformed.getMessage().startsWith("algorithm 'fixed': malformed NAS-Bench-201 genotype"),
                malformed.getMessage());
        assertThrows(UserInputException.class, () -> f.validate(fixed(7)));
        assertThrows(UserInputException.class,
                () -> f.validate(new AlgorithmSetting("fixed", Map.of("genotype", "resnet", "index", 3))));
    }
}
