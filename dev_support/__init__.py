"""What the tests and the benchmarks share to observe the stack from outside; product code never imports it."""
