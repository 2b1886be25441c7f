import { SampleSchema1764100000000 } from './1764100000000-SampleSchema';

/** The sample's schema: its own user table (AppUser) plus the library's webhook and organization tables. */
export const sampleMigrations = [SampleSchema1764100000000];
