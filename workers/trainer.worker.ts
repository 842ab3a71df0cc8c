// Trainer worker entry: exposes the engine's Trainer over comlink. Logic lives in src/trainer.
import { expose } from "comlink";
import { Trainer } from "../src/trainer/trainer";

expose(new Trainer());
