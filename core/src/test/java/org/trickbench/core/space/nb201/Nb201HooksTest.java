package org.trickbench.core.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.trickbench.core.train.Protocol;
import org.trickbench.core.train.TrainingHook;
import org.trickbench.core.train.WeightTrainingHook;

class Nb201HooksTest {
    private static final Protocol PROTOCOL = new Protocol(0.1, 0, 0.9, true, 5e-4, 32, 10, "cosine", 1, true, 0);
    private static final NetworkConfig CONFIG = new NetworkConfig(3, 8, 8, 10, 4, 1);

    /** A hook of the protocol and of NAS-Bench-201's points that logs every call it gets, by name. */
    private static class Logging implements WeightTrainingHook, Nb201Hook {
        final String name;
        final List<String> log;

        Logging(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public Protocol configureProtocol(Protocol protocol) {
            log.add(name + ".protocol");
            return protocol;
        }

        @Override
        public Nb201Ops configureNetwork(Nb201Ops ops) {
            log.add(name + ".network");
            return ops;
        }

        @Override
        public NetworkConfig configureNetworkConfig(NetworkConfig config) {
            log.add(name + ".config");
            return config;
        }
    }

    private static Nb201Hook wider(List<String> log, String name) {
        return new Nb201Hook() {
            @Override
            public NetworkConfig configureNetworkConfig(NetworkConfig config) {
                log.add(name + ".config");
                return config.withChannels(config.channels() * 2);
            }
        };
    }

    @Test
    void standaloneSetupAsksEachHookForAllThreeBeforeTheNextHook() {
        List<String> log = new ArrayList<>();
        TrainingHook wider = new Logging("B", log) {
            @Override
            public NetworkConfig configureNetworkConfig(NetworkConfig config) {
                super.configureNetworkConfig(config);
                return config.withChannels(config.channels() * 2);
            }
        };
        Nb201Hooks hooks = new Nb201Hooks(List.of(new Logging("A", log), wider));
        Nb201Hooks.StandaloneSetup setup = hooks.configureStandalone(
                new Nb201Hooks.StandaloneSetup(PROTOCOL, Nb201Ops.standard(), CONFIG));
        assertEquals(List.of("A.protocol", "A.network", "A.config", "B.protocol", "B.network", "B.config"), log);
        assertEquals(8, setup.config().channels());
        assertSame(PROTOCOL, setup.protocol());
    }

    @Test
    void supernetSetupConfiguresSkeletonThenCellsPerHook() {
        List<String> log = new ArrayList<>();
        Nb201Hooks hooks = new Nb201Hooks(List.of(new Logging("A", log), new Logging("B", log)));
        Nb201Ops skeleton = Nb201Ops.standard();
        Nb201Ops cells = Nb201Ops.standard();
        Nb201Hooks.SupernetSetup setup = hooks.configureSupernet(
                new Nb201Hooks.SupernetSetup(PROTOCOL, skeleton, cells));
        assertEquals(List.of("A.protocol", "A.network", "A.network", "B.protocol", "B.network", "B.network"), log);
        assertSame(skeleton, setup.skeletonOps());
        assertSame(cells, setup.cellOps());
    }

    @Test
    void pointsFoldOnlyOverTheSpacesHooksAndSizesCompose() {
        List<String> log = new ArrayList<>();
        WeightTrainingHook protocolOnly = new WeightTrainingHook() {
            @Override
            public Protocol configureProtocol(Protocol protocol) {
                log.add("protocolOnly");
                return protocol.withEpochs(1);
            }
        };
        Nb201Hooks hooks = new Nb201Hooks(List.of(wider(log, "A"), protocolOnly, wider(log, "B")));
        assertEquals(16, hooks.configureNetworkConfig(CONFIG).channels());
        assertEquals(List.of("A.config", "B.config"), log);

        log.clear();
        Nb201Hooks.StandaloneSetup setup = hooks.configureStandalone(
                new Nb201Hooks.StandaloneSetup(PROTOCOL, Nb201Ops.standard(), CONFIG));
        assertEquals(List.of("A.config", "protocolOnly", "B.config"), log);
        assertEquals(1, setup.protocol().epochs());
        assertEquals(16, setup.config().channels());
    }
}
