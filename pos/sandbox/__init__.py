"""The Checkbox sandbox: an embedded emulator of the Checkbox PRRO API with a simulated tax service.

It is the backend of training mode, of every integration test and of the benchmarks, and it is
strict: what the real service rejects, it rejects with the same status code and text. Only
`pos.domain` is imported from the rest of the project.
"""
