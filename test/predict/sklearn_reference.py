"""Fits scikit-learn's reference models on a train CSV, scores them on a test CSV (last column = target).

usage: /usr/bin/python3 sklearn_reference.py TRAIN.csv TEST.csv MODEL[,MODEL...] [--repeat N]
Prints JSON {model: {"r2": float, "fit_seconds": float}}; fit_seconds is the best of N fits (fit only).
Used by test/predict (parity of simlab's trees with scikit-learn's) and bench/predict.ts (timing anchor).
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.tree import DecisionTreeRegressor

MODELS = {
    "tree": lambda: DecisionTreeRegressor(max_depth=8, random_state=0),
    "forest": lambda: RandomForestRegressor(n_estimators=50, random_state=0),
    "boosting": lambda: HistGradientBoostingRegressor(
        learning_rate=0.1, max_iter=100, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=0.0,
        max_bins=255, early_stopping=False, random_state=0),
    "linear": lambda: LinearRegression(),
    # Monotone constraints: non-decreasing in x3 and x4 (Friedman's linear terms), the rest free.
    "boosting_monotone": lambda: HistGradientBoostingRegressor(
        learning_rate=0.1, max_iter=100, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=0.0,
        max_bins=255, early_stopping=False, random_state=0, monotonic_cst=[0, 0, 0, 1, 1] + [0] * 15),
}


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1]


def main():
    train, test, names = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    x, y = load(train)
    xt, yt = load(test)
    out = {}
    for name in names:
        best = float("inf")
        for _ in range(repeat):
            model = MODELS[name]()
            start = time.perf_counter()
            model.fit(x, y)
            best = min(best, time.perf_counter() - start)
        out[name] = {"r2": float(r2_score(yt, model.predict(xt))), "fit_seconds": best}
    print(json.dumps(out))


main()
