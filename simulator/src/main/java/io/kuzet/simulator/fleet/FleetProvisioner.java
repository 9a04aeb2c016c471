package io.kuzet.simulator.fleet;

/**
 * Makes a fleet known to a server (agencies, subjects, orders, devices, zones, rules) by building the in-process
 * server's registry snapshot ({@link RegistryMapping}). The demo, which runs the server with its database, provisions
 * through the importer instead ({@code demo.DemoProvisioning}).
 */
public interface FleetProvisioner {
    void provision(Fleet fleet);
}
