// A source for the placeholder library: Meson is dropping support for libraries without one.
typedef int holdspace_placeholder;
