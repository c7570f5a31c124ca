"""The project's tests.

Some tests fork the command line (tests/forked_cli.py). A child forked while OpenMP worker threads exist (XGBoost,
LightGBM and parts of scikit-learn start them) can wait forever on a lock one of them held, so OpenMP stays
single-threaded in the test process. Set here, before any test module imports the libraries that read it.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
