// Pact's core reports usage to an analytics endpoint unless told not to; these runs make no outside calls.
process.env.PACT_DO_NOT_TRACK = 'true';
