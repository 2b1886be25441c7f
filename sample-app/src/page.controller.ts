import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from 'nestjs-clerk-users';

export const PAGE_SETTINGS = Symbol('PAGE_SETTINGS');

/** How the page signs people in: the emulator's picker, or Clerk's frontend with the publishable key. */
export interface PageSettings {
  emulator: boolean;
  publishableKey: string | null;
}

/** Serves the one-file page (plain HTML and a few lines of script, no build step). */
@Controller()
export class PageController {
  private readonly html: string;

  constructor(@Inject(PAGE_SETTINGS) settings: PageSettings) {
    const template = readFileSync(join(import.meta.dirname, '..', 'public', 'index.html'), 'utf8');
    this.html = template.replace('/*SETTINGS*/', `window.SAMPLE_SETTINGS = ${JSON.stringify(settings)};`);
  }

  @Public()
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return this.html;
  }
}
