package org.trickbench.core.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.darts.DartsGenotype;
import org.trickbench.core.space.darts.DartsGenotype.Edge;
import org.trickbench.core.space.darts.DartsOp;
import org.trickbench.core.space.darts.DartsStandalone;
import org.trickbench.core.space.nb201.Genotype;
import org.trickbench.core.space.nb201.Nb201Op;
import org.trickbench.core.space.nb201.Nb201SearchSpace;
import org.trickbench.core.space.nb201.Nb201Space;
import org.trickbench.core.space.nb201.Nb201Standalone;
import org.trickbench.core.train.Fidelity;

/**
 * What every registered {@link SearchSpace} must do, checked on each ({@link SearchSpaces#ids()}): its
 * strings round-trip, its random draws are reproducible under a seed and uniform on a feature of the space,
 * a mutation is a valid neighbour, its neighbourhoods have the exact size the space defines, its draws
 * without replacement never repeat, and it builds its own standalone network. NAS-Bench-201's draws are
 * also held to the random numbers the NAS-Bench-201-only code consumed, so searches find what they found.
 */
class SearchSpaceContract {
    private static final int DRAWS = 10_000;
    /** Upper 0.1% points of the chi-square distribution, by degrees of freedom. */
    private static final Map<Integer, Double> CHI2 = Map.of(4, 18.467, 6, 22.458);

    /**
     * A space with what its contract needs to know of it.
     *
     * @param feature a categorical feature that a uniform draw makes uniform over {@code categories} values
     */
    record Case(SearchSpace space, Function<Architecture, String> feature, int categories) {
        @Override
        public String toString() {
            return space.id();
        }
    }

    static Stream<Case> spaces() {
        List<Case> cases = new ArrayList<>();
        for (String id : SearchSpaces.ids()) {
            SearchSpace space = SearchSpaces.byId(id);
            cases.add(switch (id) {
                case SearchSpaces.NB201 -> new Case(space, a -> Genotype.from(a).op(0).id(), Nb201Op.values().length);
                case SearchSpaces.DARTS -> new Case(space, a -> DartsGenotype.from(a).normal().get(0).op().id(),
                        DartsGenotype.CANDIDATE_OPS.size());
                default -> throw new AssertionError("space " + id + " has no case in this contract");
            });
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void itsIdIsTheRegistrysAndItsStringsRoundTrip(Case c) {
        SearchSpace space = c.space();
        assertEquals(space, SearchSpaces.byId(space.id()));
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            Architecture a = space.random(random);
            Architecture back = space.parse(a.canonical());
            assertEquals(a, back);
            assertEquals(a.canonical(), back.canonical());
            assertEquals(space, SearchSpaces.ofNotation(a.canonical()), "the notation names the space");
            assertEquals(a, SearchSpaces.parse(a.canonical()));
        }
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void randomDrawsAreReproducibleUnderASeedAndDifferAcrossSeeds(Case c) {
        List<String> a = draws(c.space(), 7, 50);
        assertEquals(a, draws(c.space(), 7, 50));
        assertNotEquals(a, draws(c.space(), 8, 50));
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void randomDrawsAreUniformOnTheFeature(Case c) {
        Map<String, Integer> counts = new HashMap<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < DRAWS; i++) {
            counts.merge(c.feature().apply(c.space().random(random)), 1, Integer::sum);
        }
        assertEquals(c.categories(), counts.size(), "every value is drawn: " + counts);
        double expected = DRAWS / (double) c.categories();
        double chi2 = counts.values().stream().mapToDouble(n -> (n - expected) * (n - expected) / expected).sum();
        assertTrue(chi2 < CHI2.get(c.categories() - 1), "chi-square " + chi2 + " of " + counts);
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void aMutationDiffersFromItsParentAndIsOneOfItsNeighbours(Case c) {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            Architecture parent = c.space().random(random);
            Architecture child = c.space().mutate(parent, random);
            assertNotEquals(parent, child);
            assertEquals(child, c.space().parse(child.canonical()), "a mutation stays in the space");
            assertTrue(c.space().neighbours(parent).contains(child), child + " is not a neighbour of " + parent);
        }
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void neighboursAreDistinctValidAndNeverTheCentre(Case c) {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 50; i++) {
            Architecture centre = c.space().random(random);
            List<Architecture> neighbours = c.space().neighbours(centre);
            assertEquals(neighbours.size(), new HashSet<>(neighbours).size(), "no neighbour twice");
            assertFalse(neighbours.contains(centre));
            neighbours.forEach(n -> assertEquals(n, c.space().parse(n.canonical())));
            assertEquals(neighbours, c.space().neighbours(centre), "a fixed order");
        }
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void drawsWithoutReplacementNeverRepeat(Case c) {
        Iterator<Architecture> draws = c.space().withoutReplacement(new SplittableRandom(9));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            assertTrue(draws.hasNext());
            assertTrue(seen.add(draws.next().canonical()), "draw " + i + " repeats");
        }
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void itBuildsItsOwnStandaloneNetworkAtTheFidelity(Case c) {
        Architecture a = c.space().random(new SplittableRandom(2));
        Fidelity f = new Fidelity(8, 2, 1, 0, 0);
        switch (c.space().id()) {
            case SearchSpaces.NB201 -> assertEquals(new Nb201Standalone(Genotype.from(a), 8, 2), c.space().standalone(a, f));
            case SearchSpaces.DARTS -> assertEquals(new DartsStandalone(DartsGenotype.from(a), 8, 2),
                    c.space().standalone(a, f));
            default -> throw new AssertionError(c.space().id());
        }
        Architecture byString = c.space().parse(a.canonical());
        assertEquals(c.space().standalone(a, f), c.space().standalone(byString, f));
    }

    @Test
    void nasBench201HasItsCellsAndTwentyFourNeighboursEach() {
        SearchSpace nb201 = SearchSpaces.byId("nb201");
        assertEquals(Genotype.SPACE_SIZE, nb201.size());
        for (int index : new int[] {0, 1, 7_777, Genotype.SPACE_SIZE - 1}) {
            List<Architecture> neighbours = nb201.neighbours(Genotype.fromIndex(index));
            assertEquals(6 * 4, neighbours.size());
            neighbours.forEach(n -> assertEquals(1, differingEdges(Genotype.fromIndex(index), Genotype.from(n))));
        }
        Nb201SearchSpace twoOps = new Nb201SearchSpace(Nb201Space.of(List.of(Nb201Op.SKIP_CONNECT, Nb201Op.NOR_CONV_3X3)));
        assertEquals(64, twoOps.size());
        assertEquals(6, twoOps.neighbours(twoOps.random(new SplittableRandom(0))).size());
    }

    @Test
    void nasBench201DrawsConsumeTheRandomNumbersTheyAlwaysDid() {
        Nb201SearchSpace space = Nb201SearchSpace.full();
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 500; i++) {
            Genotype drawn = space.random(a);
            assertEquals(Genotype.fromIndex(b.nextInt(Genotype.SPACE_SIZE)), drawn);
            Genotype child = space.mutate(drawn, a);
            int edge = b.nextInt(Genotype.EDGES);
            assertEquals(drawn.with(edge, Nb201Space.full().otherOp(drawn.op(edge), b)), child);
        }
        // Random search's partial Fisher-Yates shuffle of the cell indices, as it was written before.
        int[] cells = new int[Genotype.SPACE_SIZE];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = i;
        }
        SplittableRandom old = new SplittableRandom(3);
        Iterator<Architecture> draws = space.withoutReplacement(new SplittableRandom(3));
        for (int k = 0; k < 600; k++) {
            int j = k + old.nextInt(cells.length - k);
            int drawn = cells[j];
            cells[j] = cells[k];
            cells[k] = drawn;
            assertEquals(Genotype.fromIndex(drawn), draws.next());
        }
    }

    @Test
    void aRestrictedNasBench201SpaceIsDrawnWholeWithoutReplacement() {
        Nb201SearchSpace twoOps = new Nb201SearchSpace(Nb201Space.of(List.of(Nb201Op.NONE, Nb201Op.AVG_POOL_3X3)));
        Iterator<Architecture> draws = twoOps.withoutReplacement(new SplittableRandom(1));
        Set<Architecture> all = new HashSet<>();
        while (draws.hasNext()) {
            all.add(draws.next());
        }
        assertEquals(64, all.size());
        assertTrue(all.stream().allMatch(g -> twoOps.cells().contains(Genotype.from(g))));
    }

    @Test
    void dartsHasOneHundredAndTwentyNeighboursWhereNodesTakeDistinctInputsAndOpsAreCandidates() {
        SearchSpace darts = SearchSpaces.byId("darts");
        assertEquals(Long.MAX_VALUE, darts.size(), "more genotypes than a long counts");
        // Per cell: 8 edges × 6 other candidate ops, and each edge of node i moves to one of the i states
        // neither of its node's edges takes: 2 × (0 + 1 + 2 + 3). Two cells.
        int expected = 2 * (8 * 6 + 2 * (0 + 1 + 2 + 3));
        assertEquals(120, expected);
        for (DartsGenotype published : DartsGenotype.published().values()) {
            assertEquals(expected, darts.neighbours(published).size(), published.toString());
        }
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 100; i++) {
            Architecture g = darts.random(random);
            List<Architecture> neighbours = darts.neighbours(g);
            assertEquals(expected, neighbours.size());
            neighbours.forEach(n -> assertEquals(1, differingEdges(DartsGenotype.from(g), DartsGenotype.from(n))));
        }
    }

    @Test
    void dartsNeighbourCountFollowsTheGenotypeWhenAnEdgeIsNoneOrANodeRepeatsAnInput() {
        // The normal cell's node 3 takes input 0 twice, its second edge is none; the rest as DARTS_V2.
        List<Edge> normal = new ArrayList<>(DartsGenotype.DARTS_V2.normal());
        normal.set(6, new Edge(DartsOp.SEP_CONV_3X3, 0));
        normal.set(7, new Edge(DartsOp.NONE, 0));
        DartsGenotype g = new DartsGenotype(normal, DartsGenotype.DARTS_V2.reduce());
        List<Architecture> neighbours = SearchSpaces.byId("darts").neighbours(g);
        // The none edge has 7 candidate ops to change to (not 6); each edge of node 3 may move to 1, 2, 3 or 4
        // (4 states, not 3): 120 + 1 + 2.
        assertEquals(123, neighbours.size());
        assertEquals(123, new HashSet<>(neighbours).size());
        for (Architecture n : neighbours) {
            DartsGenotype d = DartsGenotype.from(n);
            assertEquals(1, differingEdges(g, d));
            List<Edge> node3 = d.normal().subList(6, 8);
            if (node3.get(0).input() != 0 || node3.get(1).input() != 0) {
                assertNotEquals(node3.get(0).input(), node3.get(1).input(), "a moved input never repeats the other's");
            }
        }
    }

    @Test
    void anUnknownSpaceIsAUserErrorListingTheKnownOnes() {
        UserInputException e = assertThrows(UserInputException.class, () -> SearchSpaces.byId("nb301"));
        assertEquals("space 'nb301' is not known; allowed: nb201, darts", e.getMessage());
        assertEquals(List.of("nb201", "darts"), SearchSpaces.ids());
    }

    private static List<String> draws(SearchSpace space, long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(space.random(random).canonical());
        }
        return out;
    }

    private static int differingEdges(Genotype a, Genotype b) {
        int n = 0;
        for (int e = 0; e < Genotype.EDGES; e++) {
            n += a.op(e) == b.op(e) ? 0 : 1;
        }
        return n;
    }

    private static int differingEdges(DartsGenotype a, DartsGenotype b) {
        int n = 0;
        for (boolean reduction : new boolean[] {false, true}) {
            for (int e = 0; e < DartsGenotype.EDGES; e++) {
                n += a.cell(reduction).get(e).equals(b.cell(reduction).get(e)) ? 0 : 1;
            }
        }
        return n;
    }
}
