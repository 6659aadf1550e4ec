"""The register service without a window: kiosks, scripted integrations, support, load tests."""
