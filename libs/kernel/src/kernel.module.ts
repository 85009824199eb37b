import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from './clock';
import { APP_CONFIG, AppConfig, loadConfig } from './config';
import { PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from './secrets';

/** Configuration, clock and the personnummer digest, for every module. Tests override CLOCK or APP_CONFIG. */
@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: () => loadConfig() },
    { provide: CLOCK, useValue: systemClock },
    {
      provide: PERSONAL_NUMBER_DIGEST,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => PersonalNumberDigest.fromConfig(config.dataDir, config.personalNumberKey),
    },
  ],
  exports: [APP_CONFIG, CLOCK, PERSONAL_NUMBER_DIGEST],
})
export class KernelModule {}
