/** A translation has exactly the keys of the English catalogue, every value a string. */
export type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };

export const languages = ['en', 'de'] as const;
export type Language = (typeof languages)[number];
