// Every generator (and every emitter file a generator adds) sees the shared infrastructure without a using.
global using Toolkit.Generators.Common;
