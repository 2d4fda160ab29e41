import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import type { Actor } from './actor';
import { CurrentActor, SignedIn } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginInput } from './dto/login.dto';
import { UsersService } from '../users/users.service';
import type { UserView } from '../users/user.view';

@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @HttpCode(200)
  login(@Body() input: LoginInput): Promise<{ accessToken: string; expiresAt: string }> {
    return this.auth.login(input.email, input.password, input.organisation);
  }

  @Post('logout')
  @HttpCode(204)
  @SignedIn()
  logout(@CurrentActor() actor: Actor): Promise<void> {
    return this.auth.logout(actor);
  }

  @Get('me')
  @SignedIn()
  me(@CurrentActor() actor: Actor): Promise<UserView> {
    return this.users.get(actor.organisationId, actor.userId);
  }
}
