package io.kuzet.simulator.fleet;

/**
 * Makes a fleet known to a server (agencies, subjects, orders, devices, zones, rules). Today the only implementation
 * builds the in-process server's registry snapshot ({@link RegistryMapping}); the operator API will add one that
 * posts the same records over HTTP.
 */
public interface FleetProvisioner {
    void provision(Fleet fleet);
}
