package org.trickbench.harness.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.trickbench.core.UserInputException;
import org.trickbench.core.space.darts.DartsGenotype;

class ResultsCsvTest {
    private static final String GENOTYPE = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaksAndRecordsKeepTheirStartingLine() {
        List<Csv.Record> records = Csv.parse("\uFEFFa,b\r\n\"x,1\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\rlast,\"\"", "f.csv");
        assertEquals(4, records.size());
        assertEquals(List.of("a", "b"), records.get(0).fields());
        assertEquals(List.of("x,1", "say \"hi\""), records.get(1).fields());
        assertEquals(2, records.get(1).line());
        assertEquals(List.of("two\nlines", "z"), records.get(2).fields());
        assertEquals(4, records.get(2).line(), "the blank line 3 is skipped and counted");
        assertEquals(List.of("last", ""), records.get(3).fields());
        assertEquals(6, records.get(3).line());
    }

    @Test
    void anUnclosedQuoteNamesTheLineWhereTheFieldStarts() {
        UserInputException e = assertThrows(UserInputException.class, () -> Csv.parse("a,b\n1,\"open\n\n", "f.csv"));
        assertTrue(e.getMessage().startsWith("f.csv line 2: a quoted field is not closed"), e.getMessage());
    }

    @Test
    void rowsBecomeResultsWithEverySpellingOfOnAndOffAndTheirOwnLine() {
        List<ImportedResult> results = ResultsCsv.parse("""
                dataset,algorithm,seed,accuracy-percent,trick:cutout,trick:my-own,genotype,proxy-score,search-seconds
                cifar10,darts,0,93.5,1,off,%s,-1.5,3600
                cifar10,darts,1,94,On,FALSE,,,
                cifar10,random,1,90,true,0,,,
                """.formatted(GENOTYPE), "r.csv");
        assertEquals(3, results.size());
        ImportedResult first = results.get(0);
        assertEquals("darts", first.algorithm());
        assertEquals(0.935, first.accuracy(), 1e-12);
        assertEquals(Map.of("cutout", true, "my-own", false), first.tricks());
        assertEquals(GENOTYPE, first.genotype());
        assertEquals(-1.5, first.proxyScore());
        assertEquals(3600.0, first.searchSeconds());
        assertEquals(2, first.line());
        ImportedResult second = results.get(1);
        assertEquals(Map.of("cutout", true, "my-own", false), second.tricks());
        assertNull(second.proxyScore());
        assertNull(second.searchSeconds());
        assertNull(second.genotype());
        assertEquals(4, results.get(2).line());
        assertTrue(first.specJson().contains("\"source\":\"import\""), first.specJson());
    }

    @Test
    void theRunIdIsTheRowsContentNotItsSpellingOrColumnOrder() {
        ImportedResult a = ResultsCsv.parse("algorithm,dataset,seed,accuracy,trick:cutout\nrea,cifar10,3,0.91,on\n", "a.csv")
                .get(0);
        ImportedResult b = ResultsCsv.parse("trick:cutout,seed,dataset,accuracy,algorithm\n1,3,cifar10,0.910,rea\n", "b.csv")
                .get(0);
        ImportedResult c = ResultsCsv.parse("algorithm,dataset,seed,accuracy,trick:cutout\nrea,cifar10,3,0.91,off\n", "c.csv")
                .get(0);
        assertEquals(a.id(), b.id());
        assertNotEquals(a.id(), c.id());
    }

    /** DARTS_V2 as its repository writes it (the concat as a list), quoted for CSV. */
    private static final String DARTS_V2 = "\"Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1),"
            + " ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0),"
            + " ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1),"
            + " ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2),"
            + " ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])\"";

    @Test
    void aSpaceColumnReadsEachGenotypeInItsSpaceAndNb201RowsKeepTheirIds() {
        List<ImportedResult> results = ResultsCsv.parse("""
                algorithm,dataset,seed,accuracy,genotype,space
                darts-v2,cifar10,0,0.97,%s,darts
                rea,cifar10,0,0.93,%s,nb201
                rea,cifar10,1,0.92,%s,
                """.formatted(DARTS_V2, GENOTYPE, GENOTYPE), "r.csv");
        ImportedResult darts = results.get(0);
        assertEquals("darts", darts.space());
        assertEquals(DartsGenotype.DARTS_V2.canonical(), darts.genotype(), "stored in canonical form");
        assertTrue(darts.specJson().contains("\"space\":\"darts\""), darts.specJson());
        assertEquals("nb201", results.get(1).space());
        assertEquals("nb201", results.get(2).space(), "an empty space is NAS-Bench-201");
        // A NAS-Bench-201 row hashes as it did before the space column existed.
        ImportedResult withoutColumn = ResultsCsv.parse("algorithm,dataset,seed,accuracy,genotype\nrea,cifar10,0,0.93,"
                + GENOTYPE + "\n", "old.csv").get(0);
        assertEquals(withoutColumn.id(), results.get(1).id());
        assertFalse(withoutColumn.specJson().contains("space"), withoutColumn.specJson());
    }

    @Test
    void aDartsGenotypeWithoutItsSpaceIsRefusedWithTheColumnToAdd() {
        UserInputException e = assertThrows(UserInputException.class, () -> ResultsCsv.parse(
                "algorithm,dataset,seed,accuracy,genotype\nrea,cifar10,0,0.9," + DARTS_V2 + "\n", "x.csv"));
        assertTrue(e.getMessage().startsWith("x.csv line 2, column 'genotype': malformed NAS-Bench-201 genotype"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("or empty for none (a DARTS genotype? say so in a column space: darts)"),
                e.getMessage());
        UserInputException nb201InDarts = assertThrows(UserInputException.class, () -> ResultsCsv.parse(
                "algorithm,dataset,seed,accuracy,genotype,space\nrea,cifar10,0,0.9," + GENOTYPE + ",darts\n", "x.csv"));
        assertTrue(nb201InDarts.getMessage().startsWith("x.csv line 2, column 'genotype': "), nb201InDarts.getMessage());
        assertTrue(nb201InDarts.getMessage().contains("allowed: a DARTS genotype (Genotype(normal=["),
                nb201InDarts.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', textBlock = """
            algorithm,dataset,seed,accuracy,trick:cutout\\nrea,cifar10,0,0.9,yes # x.csv line 2, column 'trick:cutout': 'yes' is not a trick setting; allowed: 1, on, true (on) or 0, off, false (off)
            algorithm,dataset,seed,accuracy,trick:cutout\\nrea,cifar10,0,0.9, # x.csv line 2, column 'trick:cutout': empty; allowed: 1, on, true
            algorithm,dataset,seed,accuracy\\nrea,cifar10,0,93.5 # x.csv line 2, column 'accuracy': 93.5 is out of range; allowed: a number from 0 to 1 (a percentage? name the column accuracy-percent)
            algorithm,dataset,seed,accuracy\\nrea,cifar10,0,high # x.csv line 2, column 'accuracy': 'high' is not a number; allowed: a number from 0 to 1
            algorithm,dataset,seed,accuracy-percent\\nrea,cifar10,0,101 # x.csv line 2, column 'accuracy-percent': 101 is out of range; allowed: a number from 0 to 100
            algorithm,dataset,seed,accuracy\\nrea,cifar10,0.5,0.9 # x.csv line 2, column 'seed': '0.5' is not an integer seed
            algorithm,dataset,seed,accuracy\\nrea,,0,0.9 # x.csv line 2, column 'dataset': empty; an id is a letter or digit
            algorithm,dataset,seed,accuracy\\nmy algo,cifar10,0,0.9 # x.csv line 2, column 'algorithm': 'my algo' is not allowed; an id is
            algorithm,dataset,seed,accuracy,search-seconds\\nrea,cifar10,0,0.9,-3 # x.csv line 2, column 'search-seconds': -3 is out of range; allowed: a finite number >= 0
            algorithm,dataset,seed,accuracy,genotype\\nrea,cifar10,0,0.9,|conv~0| # x.csv line 2, column 'genotype': malformed NAS-Bench-201 genotype
            algorithm,dataset,seed,accuracy,space\\nrea,cifar10,0,0.9,nb101 # x.csv line 2, column 'space': 'nb101' is not a search space; allowed: nb201, darts, or empty for nb201
            algorithm,dataset,seed,accuracy,flops\\nrea,cifar10,0,0.9,1 # x.csv line 1, column 5: unknown column 'flops'; allowed: algorithm, dataset, seed, accuracy, accuracy-percent
            algorithm,dataset,seed,accuracy,trick:\\nrea,cifar10,0,0.9,1 # x.csv line 1, column 5: trick column 'trick:' needs an id
            algorithm,dataset,seed,accuracy,seed\\nrea,cifar10,0,0.9,1 # x.csv line 1, column 5: column 'seed' appears twice
            algorithm,seed,accuracy\\nrea,0,0.9 # x.csv line 1: the header lacks the required column 'dataset'
            algorithm,dataset,seed,accuracy,accuracy-percent\\nrea,c,0,0.9,90 # x.csv line 1: give exactly one of the columns 'accuracy'
            algorithm,dataset,seed,accuracy\\nrea,cifar10,0 # x.csv line 2: 3 field(s), but the header has 4
            algorithm,dataset,seed,accuracy # x.csv: the header has no rows under it
            '' # x.csv: the file is empty
            """)
    void badInputIsRefusedNamingFileLineColumnAndWhatIsAllowed(String csv, String expected) {
        String text = csv.replace("\\n", "\n");
        UserInputException e = assertThrows(UserInputException.class, () -> ResultsCsv.parse(text, "x.csv"));
        assertTrue(e.getMessage().startsWith(expected.strip()), e.getMessage());
    }
}
