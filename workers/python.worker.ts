// Python worker entry: exposes the Pyodide host over comlink. Logic lives in src/tools/python.
import { expose } from "comlink";
import { PythonHost } from "../src/tools/python/python_host";

expose(new PythonHost());
