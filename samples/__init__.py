"""The report generator and the demo portal (layer 3).

The generator writes reports from figures in every format and publishing habit (tests,
benchmarks and the demo use it: figures in, document out, figures back); the demo portal
serves them in the markup of the CMS families real portals run on, on 127.0.0.1.
"""
